"""Celery tasks of the reports (docs/domain.md §9): each takes ids or a kind and calls one service."""

from celery import shared_task
from django.conf import settings

from reports.runs import report_generate, report_sweep
from reports.services import report_schedule


@shared_task(
    bind=True,
    name="reports.generate",
    acks_late=True,
    # A worker that dies mid-report (killed, out of memory) has its message redelivered; the
    # redelivered run takes the report over (reports.runs.report_claim).
    reject_on_worker_lost=True,
    soft_time_limit=max(settings.CELERY_TASK_TIME_LIMIT - 30, 30),
)
def generate_report(self, report_id: int) -> str | None:
    """Make one report's file. Safe to deliver twice: a report made or being made is left alone."""
    report = report_generate(report_id=report_id, task_id=self.request.id or "")
    return report.status if report else None


@shared_task(name="reports.sweep")
def sweep_reports() -> dict:
    """Every minute (beat): re-send pending reports, resume those whose heartbeat stopped."""
    return report_sweep()


@shared_task(name="reports.scheduled")
def scheduled_report(kind: str) -> list[int]:
    """Beat: `fund_status` monthly and `program_status` quarterly, one report per active program."""
    return [report.pk for report in report_schedule(kind=kind)]
