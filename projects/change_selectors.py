"""Reads of agreement changes (협약변경, SPEC §16)."""

from django.db.models import QuerySet

from projects.models import AgreementChange


def change_list(*, application_id: int) -> QuerySet[AgreementChange]:
    """An application's changes, newest first, with what a row shows joined in (one query)."""
    return (
        AgreementChange.objects.filter(application_id=application_id)
        .select_related("new_supplier", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
