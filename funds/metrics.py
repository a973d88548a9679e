"""Figures for Prometheus (config/metrics.py, settings.PLUGINS["metrics"]), read at scrape time."""

from funds.models import CostShareRequest


def metrics() -> list[tuple[str, str, float]]:
    """Cost-share requests still in the outbox: a count that grows means the broker or the sweeper is down."""
    waiting = CostShareRequest.objects.count()
    return [("funds_cost_share_outbox", "Cost-share requests waiting in the outbox to be sent.", waiting)]
