"""What a funded project's agreement and inspections look like from outside the project: the
sponsor's pages, the staff's and the SME's home, the reports (SPEC §16, §17, issue 19 item 5).

Reads only. `with_project_state` puts the agreement's status and period and the latest inspection's
result on each row of an application queryset, so a list of any length stays one query.
"""

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from applicants.models import Application
from program.choices import Kpi
from projects.models import Agreement, AgreementChange, Inspection

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

AGREEMENT_LABELS = dict(Agreement.Status.choices)
INSPECTION_LABELS = dict(Inspection.Result.choices)
KPI_LABELS = dict(Kpi.choices)


class ProjectState(TypedDict):
    agreement_status: str | None
    agreement_starts_on: datetime.date | None
    agreement_ends_on: datetime.date | None
    agreement_original_ends_on: datetime.date | None
    inspection_result: str | None
    inspection_at: datetime.datetime | None
    inspection_rework_due: datetime.date | None


def latest_inspection(field: str) -> Subquery:
    """One field of the application's newest inspection (None without one), for `annotate`."""
    newest = Inspection.objects.filter(application=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(newest.values(field)[:1])


def with_project_state(
    applications: QuerySet[Application],
) -> "QuerySet[WithAnnotations[Application, ProjectState]]":
    """Each application with `agreement_status`, `agreement_starts_on`, `agreement_ends_on`,
    `agreement_original_ends_on` (None before an agreement is drafted) and `inspection_result`,
    `inspection_at`, `inspection_rework_due` of its newest inspection: joins and subqueries, no
    query per row."""
    return applications.annotate(
        agreement_status=F("agreement__status"),
        agreement_starts_on=F("agreement__starts_on"),
        agreement_ends_on=F("agreement__ends_on"),
        agreement_original_ends_on=F("agreement__original_ends_on"),
        inspection_result=latest_inspection("result"),
        inspection_at=latest_inspection("created_at"),
        inspection_rework_due=latest_inspection("rework_due"),
    )


def agreement_status_label(status: str | None) -> str:
    """The agreement's status in words; "협약 전" before one is drafted."""
    return str(AGREEMENT_LABELS.get(status, _("협약 전"))) if status else _("협약 전")


def inspection_result_label(result: str | None) -> str:
    return str(INSPECTION_LABELS.get(result, result)) if result else ""


def is_extended(starts_on, ends_on, original_ends_on) -> bool:
    """Approved extensions moved the end past the one first agreed (SPEC §16)."""
    return bool(ends_on and original_ends_on and ends_on != original_ends_on)


def project_agreement(application: Application) -> Agreement | None:
    """The application's agreement with its supplier, or None before one is drafted. One query."""
    return Agreement.objects.select_related("supplier").filter(application=application).first()


def approved_changes(application: Application) -> list[dict]:
    """The approved 협약변경, newest first, each with a before → after summary in words. One query."""
    changes = AgreementChange.objects.filter(
        application=application, status=AgreementChange.Status.APPROVED
    ).select_related("new_supplier")
    return [{"change": change, **_change_summary(change)} for change in changes]


def _change_summary(change: AgreementChange) -> dict[str, str]:
    """`previous` is what the approval replaced (projects.services.changes: ends_on, supplier_name,
    total_cost)."""
    before, K = change.previous or {}, AgreementChange.Kind
    if change.kind == K.EXTENSION:
        after = change.new_ends_on.isoformat() if change.new_ends_on else ""
        return {"before": str(before.get("ends_on", "")), "after": after}
    if change.kind == K.SUPPLIER:
        after = change.new_supplier.name if change.new_supplier else ""
        return {"before": str(before.get("supplier_name", "")), "after": after}
    if change.kind == K.COST:
        previous = before.get("total_cost")
        return {
            "before": f"{int(previous):,}원" if previous is not None else "",
            "after": f"{change.new_total_cost:,}원" if change.new_total_cost else "",
        }
    return {"before": "", "after": change.reason}


def inspection_history(application: Application) -> list[Inspection]:
    """The application's inspections, newest first. One query."""
    return list(Inspection.objects.filter(application=application).order_by("-created_at", "-pk"))


def awaiting_inspection() -> Q:
    """In completion_review with no inspection since it was last submitted: none yet, or the newest
    asked for rework (a rework sends it back to building; its resubmission waits again)."""
    return Q(status=Application.Status.COMPLETION_REVIEW) & (
        Q(inspection_result__isnull=True) | Q(inspection_result=Inspection.Result.REWORK)
    )


def rework_due_on(application: "WithAnnotations[Application, ProjectState]") -> datetime.date | None:
    """The due date of a rework still owed: building after an inspection asked for rework. Reads
    the annotations of `with_project_state`."""
    if application.status != Application.Status.BUILDING:
        return None
    if application.inspection_result != Inspection.Result.REWORK:
        return None
    return application.inspection_rework_due
