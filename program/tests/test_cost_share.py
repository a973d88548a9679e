"""The §3.2 split: worked examples exactly, and properties over totals, ratios, caps and units."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from program.cost_share import MAX_TOTAL, CostSharePolicy, split_cost

POLICY_2018 = CostSharePolicy(gov_ratio=30, sponsor_ratio=30, sme_ratio=40, rounding_unit=1000)
POLICY_2022_TYPE1 = CostSharePolicy(
    gov_ratio=30,
    sponsor_ratio=30,
    sme_ratio=40,
    gov_caps={"basic": 42_000_000, "advanced1": 120_000_000, "advanced2": 240_000_000},
    cap_excess_to="sponsor",
)
POLICY_2022_TYPE2 = CostSharePolicy(
    gov_ratio=50, sponsor_ratio=50, sme_ratio=0, gov_caps={"basic": 10_000_000}, cap_excess_to="sponsor"
)


def shares(split):
    return split.government, split.sponsor, split.sme


def test_the_spec_example_holds_exactly():
    split = split_cost(100_000_001, "basic", POLICY_2018)
    assert shares(split) == (30_000_000, 30_000_000, 40_000_001)
    assert split.capped is False


def test_it_cuts_below_the_rounding_unit():
    # 30 % of 123,456,789 = 37,037,036.7 → 37,037,000 (천원 미만 절사)
    assert shares(split_cost(123_456_789, "basic", POLICY_2018)) == (37_037_000, 37_037_000, 49_382_789)


def test_the_2022_type1_cap_moves_the_excess_to_the_sponsor():
    # 30 % of 2억 = 6,000만 > 4,200만 cap for basic: the sponsor pays the 1,800만 cut off.
    split = split_cost(200_000_000, "basic", POLICY_2022_TYPE1)
    assert shares(split) == (42_000_000, 78_000_000, 80_000_000)
    assert split.capped is True


def test_a_level_under_its_cap_is_untouched():
    split = split_cost(200_000_000, "advanced1", POLICY_2022_TYPE1)
    assert shares(split) == (60_000_000, 60_000_000, 80_000_000)
    assert split.capped is False


def test_the_2022_type2_small_firm_split():
    # total 2,000만: gov 50 % (≤ 1,000만) + sponsor 50 %, SME 0
    assert shares(split_cost(20_000_000, "basic", POLICY_2022_TYPE2)) == (10_000_000, 10_000_000, 0)


def test_a_cap_paid_by_the_sme():
    policy = CostSharePolicy(gov_caps={"basic": 42_000_000}, cap_excess_to="sme")
    assert shares(split_cost(200_000_000, "basic", policy)) == (42_000_000, 60_000_000, 98_000_000)


@pytest.mark.parametrize("total", [0, -1, MAX_TOTAL + 1])
def test_it_refuses_totals_out_of_range(total):
    with pytest.raises(ValueError):
        split_cost(total, "basic", POLICY_2018)


@pytest.mark.parametrize("total", [1.5, "100", True])
def test_it_refuses_non_integer_totals(total):
    with pytest.raises(TypeError):
        split_cost(total, "basic", POLICY_2018)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 30},
        {"gov_ratio": -10, "sponsor_ratio": 70, "sme_ratio": 40},
        {"rounding_unit": 0},
        {"cap_excess_to": "government"},
        {"gov_caps": {"basic": -1}},
    ],
)
def test_it_refuses_impossible_policies(kwargs):
    with pytest.raises(ValueError):
        CostSharePolicy(**kwargs)


@st.composite
def policies(draw):
    gov = draw(st.integers(0, 100))
    sponsor = draw(st.integers(0, 100 - gov))
    caps = draw(
        st.dictionaries(
            st.sampled_from(["basic", "advanced1", "advanced2"]),
            st.one_of(st.none(), st.integers(0, MAX_TOTAL)),
        )
    )
    return CostSharePolicy(
        gov_ratio=gov,
        sponsor_ratio=sponsor,
        sme_ratio=100 - gov - sponsor,
        gov_caps=caps,
        rounding_unit=draw(st.sampled_from([1, 10, 100, 1000, 10_000, 1_000_000]) | st.integers(1, 10**9)),
        cap_excess_to=draw(st.sampled_from(["sme", "sponsor"])),
    )


totals = st.integers(1, MAX_TOTAL)
levels = st.sampled_from(["basic", "advanced1", "advanced2"])


@given(totals, levels, policies())
def test_shares_always_sum_to_the_total_and_none_is_negative(total, level, policy):
    split = split_cost(total, level, policy)
    assert split.government + split.sponsor + split.sme == total
    assert min(shares(split)) >= 0


@given(totals, levels, policies())
def test_the_government_share_respects_ratio_cap_and_unit(total, level, policy):
    split = split_cost(total, level, policy)
    assert split.government * 100 <= total * policy.gov_ratio
    cap = policy.gov_cap(level)
    if cap is not None:
        assert split.government <= cap
    if not split.capped:
        assert split.government % policy.rounding_unit == 0
        # the cut is less than one rounding unit
        assert total * policy.gov_ratio - split.government * 100 < 100 * policy.rounding_unit


@given(totals, levels, policies())
def test_the_excess_goes_where_the_policy_says(total, level, policy):
    uncapped = CostSharePolicy(
        gov_ratio=policy.gov_ratio,
        sponsor_ratio=policy.sponsor_ratio,
        sme_ratio=policy.sme_ratio,
        rounding_unit=policy.rounding_unit,
        cap_excess_to=policy.cap_excess_to,
    )
    capped, free = split_cost(total, level, policy), split_cost(total, level, uncapped)
    excess = free.government - capped.government
    assert excess >= 0
    assert capped.capped == (excess > 0)
    if policy.cap_excess_to == "sponsor":
        assert (capped.sponsor, capped.sme) == (free.sponsor + excess, free.sme)
    else:
        assert (capped.sponsor, capped.sme) == (free.sponsor, free.sme + excess)


# SPEC §15.3: the same-level repeat cap, inside the same split.


def test_a_repeat_caps_the_government_share_at_50_million_and_moves_the_excess():
    policy = CostSharePolicy(**{**POLICY_2022_TYPE1.__dict__, "repeat_gov_cap": 50_000_000})
    first = split_cost(400_000_000, "advanced1", policy)
    repeat = split_cost(400_000_000, "advanced1", policy, repeat=True)
    assert shares(first) == (120_000_000, 120_000_000, 160_000_000)
    assert shares(repeat) == (50_000_000, 190_000_000, 160_000_000)
    assert (first.repeat_capped, repeat.repeat_capped, repeat.capped) == (False, True, True)


def test_a_repeat_under_the_level_cap_is_not_repeat_capped():
    # 30 % of 1억 = 3,000만: below both the 4,200만 level cap and the 5,000만 repeat cap.
    policy = CostSharePolicy(**{**POLICY_2022_TYPE1.__dict__, "repeat_gov_cap": 50_000_000})
    split = split_cost(100_000_000, "basic", policy, repeat=True)
    assert shares(split) == (30_000_000, 30_000_000, 40_000_000)
    assert split.repeat_capped is False


def test_a_level_cap_below_the_repeat_cap_is_not_the_repeat_caps_doing():
    policy = CostSharePolicy(**{**POLICY_2022_TYPE1.__dict__, "repeat_gov_cap": 50_000_000})
    split = split_cost(200_000_000, "basic", policy, repeat=True)
    assert split.government == 42_000_000
    assert (split.capped, split.repeat_capped) == (True, False)


def test_a_negative_repeat_cap_is_refused():
    with pytest.raises(ValueError):
        CostSharePolicy(repeat_gov_cap=-1)


@st.composite
def repeat_policies(draw):
    policy = draw(policies())
    cap = draw(st.one_of(st.none(), st.integers(0, MAX_TOTAL)))
    return CostSharePolicy(**{**policy.__dict__, "repeat_gov_cap": cap})


@given(totals, levels, repeat_policies())
def test_with_repeat_shares_still_sum_to_the_total_and_none_is_negative(total, level, policy):
    split = split_cost(total, level, policy, repeat=True)
    assert split.government + split.sponsor + split.sme == total
    assert min(shares(split)) >= 0
    if policy.repeat_gov_cap is not None:
        assert split.government <= policy.repeat_gov_cap


@given(totals, levels, repeat_policies())
def test_a_repeat_never_raises_the_government_share(total, level, policy):
    first, repeat = split_cost(total, level, policy), split_cost(total, level, policy, repeat=True)
    assert repeat.government <= first.government
    assert repeat.repeat_capped == (repeat.government < first.government)
    assert first.repeat_capped is False
    # what the repeat cap cuts off follows cap_excess_to, like the level cap's excess
    cut = first.government - repeat.government
    if policy.cap_excess_to == "sponsor":
        assert (repeat.sponsor, repeat.sme) == (first.sponsor + cut, first.sme)
    else:
        assert (repeat.sponsor, repeat.sme) == (first.sponsor, first.sme + cut)
