"""What of the imports an official may see (docs/domain.md §1): staff their agency's runs, the ministry
every agency's. Outside scope answers 404, as for a run that does not exist. Owner: part C (the pages)."""

from django.db.models import QuerySet

from accounts.roles import is_official
from imports.models import ImportRun
from program.permissions import agency_scope, can_act_in_agency


def import_runs(user) -> QuerySet[ImportRun]:
    """The runs `user` may read, newest first, with who uploaded each (one join)."""
    if not is_official(user):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(agency_scope(user)).select_related("created_by")


def import_run_visible(user, run_id: int) -> ImportRun | None:
    """The run, when `user` may read it; None otherwise (the page answers 404)."""
    return import_runs(user).select_related("confirmed_by").filter(pk=run_id).first()


def can_confirm(user, run: ImportRun) -> bool:
    """Staff of the run's agency confirm a checked run that has valid rows; the ministry never."""
    return run.status == ImportRun.Status.CHECKED and run.valid > 0 and can_act_in_agency(user, run.agency_id)


IN_PROGRESS = (ImportRun.Status.CHECKING, ImportRun.Status.IMPORTING)


def in_progress(run: ImportRun) -> bool:
    """Whether the run's task is still at work (the page keeps refreshing its status)."""
    return run.status in IN_PROGRESS
