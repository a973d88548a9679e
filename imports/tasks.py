"""The import's two steps in a worker (SPEC §15.5). Each takes the run's id and calls one service. Like
every task here they are acknowledged late (CELERY_TASK_ACKS_LATE): a worker that dies mid-check or
mid-write has the task redelivered, and both services are safe to run again (the check starts over; the
write is idempotent on the natural key)."""

from celery import shared_task

from imports import services
from imports.models import ImportRun


@shared_task(name="imports.check_import", acks_late=True)
def check_import(run_id: int) -> None:
    """The dry run of an import (services.import_check)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.import_check(run)


@shared_task(name="imports.write_import", acks_late=True)
def write_import(run_id: int) -> None:
    """Writing a confirmed import (services.import_write)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.import_write(run)
