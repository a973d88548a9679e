"""Reading imports (SPEC §15.5): staff see their agency's runs, the ministry every agency's."""

from django.db.models import QuerySet

from accounts.roles import is_official
from imports.models import ImportRun
from program.permissions import agency_scope


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
