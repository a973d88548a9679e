"""The cost-share split of docs/domain.md §3.2: one pure function, exact integer arithmetic.

Every caller — the preview endpoint, the selection service, the Celery task, the demo data —
computes a split here and nowhere else.
"""

from dataclasses import dataclass

MAX_TOTAL = 10_000_000_000  # 100억 원


@dataclass(frozen=True)
class CostSharePolicy:
    gov_ratio: int = 30
    sponsor_ratio: int = 30
    sme_ratio: int = 40
    gov_caps: dict[str, int | None] | None = None  # support level → cap; a missing level is unlimited
    rounding_unit: int = 1000
    cap_excess_to: str = "sme"  # "sme" or "sponsor"
    # SPEC §15.3: the government maximum of a company that already completed a project at the same
    # or a higher level, on top of the level's cap; None is no repeat cap.
    repeat_gov_cap: int | None = None

    def __post_init__(self):
        ratios = (self.gov_ratio, self.sponsor_ratio, self.sme_ratio)
        if any(r < 0 for r in ratios) or sum(ratios) != 100:
            raise ValueError("ratios must be non-negative whole percents summing to 100")
        if self.rounding_unit < 1:
            raise ValueError("rounding_unit must be at least 1")
        if self.cap_excess_to not in ("sme", "sponsor"):
            raise ValueError("cap_excess_to must be 'sme' or 'sponsor'")
        if any(cap is not None and cap < 0 for cap in (self.gov_caps or {}).values()):
            raise ValueError("caps must be non-negative")
        if self.repeat_gov_cap is not None and self.repeat_gov_cap < 0:
            raise ValueError("repeat_gov_cap must be non-negative")

    def gov_cap(self, level: str, *, repeat: bool = False) -> int | None:
        """The level's cap; for a repeat (SPEC §15.3) the smaller of it and `repeat_gov_cap`."""
        cap = (self.gov_caps or {}).get(level)
        if not repeat or self.repeat_gov_cap is None:
            return cap
        return self.repeat_gov_cap if cap is None else min(cap, self.repeat_gov_cap)


@dataclass(frozen=True)
class Split:
    total: int
    government: int
    sponsor: int
    sme: int
    capped: bool
    # True when the repeat cap (SPEC §15.3) cut the government share below what the level cap gives.
    repeat_capped: bool = False


def _floor_to_unit(total: int, ratio: int, unit: int) -> int:
    # floor(T * ratio / 100 / u) * u, in integers only
    return (total * ratio // (100 * unit)) * unit


def split_cost(total: int, level: str, policy: CostSharePolicy, *, repeat: bool = False) -> Split:
    """Split `total` (KRW, VAT excluded) into government, sponsor and SME shares.

    `repeat`: the company already completed a project at this level or a higher one (SPEC §15.3),
    so the government share is capped at `policy.repeat_gov_cap` too, the excess following
    `cap_excess_to` like the level cap's."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be an int of KRW")
    if not 1 <= total <= MAX_TOTAL:
        raise ValueError(f"total must be between 1 and {MAX_TOTAL:,} KRW")
    unit = policy.rounding_unit
    gov_raw = _floor_to_unit(total, policy.gov_ratio, unit)
    level_cap = policy.gov_cap(level)
    cap = policy.gov_cap(level, repeat=repeat)
    government = gov_raw if cap is None else min(gov_raw, cap)
    by_level = gov_raw if level_cap is None else min(gov_raw, level_cap)
    excess = gov_raw - government
    sponsor = _floor_to_unit(total, policy.sponsor_ratio, unit)
    if policy.cap_excess_to == "sponsor":
        sponsor += excess
    sme = total - government - sponsor
    return Split(
        total=total,
        government=government,
        sponsor=sponsor,
        sme=sme,
        capped=excess > 0,
        repeat_capped=government < by_level,
    )
