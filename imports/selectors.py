"""Reading imports (SPEC §15.5): staff see their agency's runs, the ministry every agency's."""

from django.db.models import QuerySet

from accounts.roles import is_official
from imports.models import ImportRun
from program.permissions import agency_scope, can_act_in_agency


def import_list(*, user) -> QuerySet[ImportRun]:
    """The runs `user` may read, newest first, with who uploaded and confirmed them (one query)."""
    if not is_official(user):
        return ImportRun.objects.none()
    return (
        ImportRun.objects.filter(agency_scope(user))
        .select_related("created_by", "confirmed_by")
        .defer("errors")
    )


def import_visible(*, user, run_id: int) -> ImportRun | None:
    """One run in `user`'s scope with its errors, or None (404)."""
    if not is_official(user):
        return None
    found = ImportRun.objects.filter(agency_scope(user), pk=run_id).select_related(
        "created_by", "confirmed_by"
    )
    return found.first()


# ---- part C: what the run's page offers


def can_confirm(user, run: ImportRun) -> bool:
    """Staff of the run's agency confirm a checked run that has valid rows; the ministry never."""
    return run.status == ImportRun.Status.CHECKED and run.valid > 0 and can_act_in_agency(user, run.agency_id)


def in_progress(run: ImportRun) -> bool:
    """Whether the run's task is still at work (its page keeps refreshing the status)."""
    return run.status in (ImportRun.Status.CHECKING, ImportRun.Status.IMPORTING)
