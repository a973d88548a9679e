"""Reads of the funded project's life (SPEC §16–§17)."""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

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


def kpi_target_rows(
    targets: Iterable[Mapping] | None, results: Mapping[str, Any] | None = None
) -> list[dict]:
    """The agreement's KPI targets as every page, the PDF and the inspection show them: each with its
    label, its direction (`lower`: lower is better), baseline and target as agreed, and — given the
    results reported per KPI (reports' Outcome, read by the caller) — the result and whether it `met`
    the target (None while there is no result). The one place these rows are made."""
    labels = dict(Kpi.choices)
    results = results or {}
    rows = []
    for item in targets or []:
        kpi = str(item.get("kpi", ""))
        result = results.get(kpi)
        rows.append({
            "kpi": kpi,
            "label": str(labels.get(kpi, kpi)),
            "lower": kpi in KPI_LOWER_IS_BETTER,
            "baseline": item.get("baseline"),
            "target": item.get("target"),
            "result": result,
            "met": kpi_target_met(kpi, _decimal(item.get("target")), _decimal(result)),
        })  # fmt: skip
    return rows


def kpi_target_met(kpi: str, target: Decimal | None, result: Decimal | None) -> bool | None:
    """Whether a result reaches its target in the KPI's direction (lower is better for defects,
    cost, lead time, accidents); None while there is no result."""
    if target is None or result is None:
        return None
    return result <= target if kpi in KPI_LOWER_IS_BETTER else result >= target


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None
