from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from applicants.scoring import trimmed_mean_score


def test_no_evaluation_no_score():
    assert trimmed_mean_score([]) is None


def test_fewer_than_five_is_the_plain_mean():
    assert trimmed_mean_score([80, 90, 71]) == Decimal("80.33")


def test_five_or_more_drop_the_single_highest_and_lowest():
    # drop 40 and 100 → (80 + 82 + 85) / 3 = 82.333…
    assert trimmed_mean_score([100, 80, 40, 85, 82]) == Decimal("82.33")
    # only one of the tied highest is dropped
    assert trimmed_mean_score([90, 90, 70, 80, 60, 75]) == Decimal("78.75")


def test_it_rounds_half_up():
    assert trimmed_mean_score([80, 81, 81, 80]) == Decimal("80.50")
    assert trimmed_mean_score([1, 2]) == Decimal("1.50")
    assert trimmed_mean_score([0, 0, 1]) == Decimal("0.33")
    assert trimmed_mean_score([0, 1, 1]) == Decimal("0.67")


@given(st.lists(st.integers(0, 112), min_size=1, max_size=9))
def test_the_score_lies_within_the_totals(totals):
    score = trimmed_mean_score(totals)
    assert min(totals) <= score <= max(totals)
