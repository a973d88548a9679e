"""Reads of the funded project's life (SPEC §16–§17)."""

from django.db.models import QuerySet

from program.choices import KPI_LOWER_IS_BETTER, Kpi
from projects.models import Agreement, AgreementSignature


def agreement_get(*, application_id: int) -> Agreement | None:
    """The application's agreement with its supplier and signatures loaded, or None."""
    return (
        Agreement.objects.select_related("supplier")
        .prefetch_related("signatures__user")
        .filter(application_id=application_id)
        .first()
    )


def agreement_lock(*, application_id: int) -> Agreement | None:
    """The agreement row, locked until the end of the transaction (lock the application first)."""
    return Agreement.objects.select_for_update().filter(application_id=application_id).first()


def agreement_signatures(*, agreement: Agreement) -> QuerySet[AgreementSignature]:
    return agreement.signatures.select_related("user").order_by("signed_at", "pk")


def agreement_split(application):
    """The amounts per funder of the agreement: the application's one split (funds' CostShare, computed
    by program.cost_share.split_cost), never recomputed here; None until it is computed."""
    return getattr(application, "cost_share", None)


def agreement_or_draft(*, application) -> Agreement | None:
    """The application's agreement, or after selection the empty draft it starts from (not saved: a
    read writes nothing; the first save makes it). None when the application has none to show."""
    agreement = agreement_get(application_id=application.pk)
    if agreement is None and application.status == "selected":
        agreement = Agreement(application=application, supplier=application.supplier)
    return agreement


def kpi_target_rows(agreement: Agreement) -> list[dict]:
    """The KPI targets with their labels, for pages and the PDF."""
    labels = dict(Kpi.choices)
    return [
        {**row, "label": labels.get(row["kpi"], row["kpi"]), "lower": row["kpi"] in KPI_LOWER_IS_BETTER}
        for row in agreement.kpi_targets
    ]
