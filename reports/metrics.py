"""Figures for Prometheus (config/metrics.py, settings.PLUGINS["metrics"]), read at scrape time."""

from django.db.models import Count

from reports.models import Report


def metrics() -> list[tuple[str, str, float]]:
    """Reports queued and being made: queued ones piling up mean no worker is taking them."""
    counts = dict(
        Report.objects.filter(status__in=[Report.Status.PENDING, Report.Status.RUNNING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        ("reports_pending", "Reports waiting for a worker.", counts.get(Report.Status.PENDING, 0)),
        ("reports_running", "Reports a worker is making.", counts.get(Report.Status.RUNNING, 0)),
    ]
