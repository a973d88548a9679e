"""The application score of docs/domain.md §5: one pure function, used wherever a score is computed."""

from decimal import ROUND_HALF_UP, Decimal

TRIM_FROM = 5  # with this many evaluations or more, the single highest and lowest are dropped


def trimmed_mean_score(totals: list[int]) -> Decimal | None:
    """The mean of the evaluations' totals, dropping the single highest and lowest of 5 or more,
    rounded to 2 decimals (half up). None when there is no evaluation."""
    if not totals:
        return None
    if len(totals) >= TRIM_FROM:
        totals = sorted(totals)[1:-1]
    return (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
