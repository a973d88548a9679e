"""Reads for completion and the inspection (완료점검, SPEC §17): what a project still lacks before it
may ask for inspection, its KPI targets beside their results, and its inspections.

The results are reports' Outcome rows, read through the application's `outcomes` relation: projects
sits below reports (docs/architecture.md) and does not import it."""

from django.db.models import QuerySet

from applicants.models import Application
from program.choices import DocumentKind, Kpi
from projects.models import Agreement, Inspection
from projects.selectors import kpi_target_rows


def agreement_kpi_targets(*, application_id: int) -> list[dict] | None:
    """The agreement's KPI targets `[{"kpi", "baseline", "target"}]`, or None when the application has
    no agreement row (an application funded before agreements were recorded)."""
    rows = Agreement.objects.filter(application_id=application_id).values_list("kpi_targets", flat=True)
    targets = next(iter(rows), None)
    return None if targets is None else list(targets or [])


def kpi_rows_with_results(*, application: Application) -> list[dict]:
    """Each KPI target (projects.selectors.kpi_target_rows) with the result entered for it: two
    queries, one without targets."""
    targets = agreement_kpi_targets(application_id=application.pk) or []
    if not targets:
        return []
    return kpi_target_rows(targets, dict(application.outcomes.values_list("kpi", "result")))


def completion_missing(*, application: Application) -> dict:
    """What `submit_completion` still lacks: `{"report": bool, "kpis": [kpi, ...]}` (SPEC §17).

    Without an agreement row (legacy data) only the completion report is asked for: there are no
    targets to report against, and asking for the results of every KPI would stop such a project."""
    has_report = application.attachments.filter(kind=DocumentKind.COMPLETION_REPORT).exists()
    rows = kpi_rows_with_results(application=application)
    return {"report": not has_report, "kpis": [row["kpi"] for row in rows if row["result"] is None]}


def inspections_shown(*, application_id: int) -> list[Inspection]:
    """The inspections for a page, each with `kpi_results`: (label, met) in the agreement's words."""
    labels = dict(Kpi.choices)
    inspections = list(inspection_list(application_id=application_id))
    for each in inspections:
        each.kpi_results = [(labels.get(kpi, kpi), met) for kpi, met in each.kpis.items()]  # type: ignore[attr-defined]
    return inspections


def inspection_list(*, application_id: int) -> QuerySet[Inspection]:
    """The application's inspections, newest first, with who inspected and the audit report joined."""
    return (
        Inspection.objects.filter(application_id=application_id)
        .select_related("inspected_by", "audit_report")
        .order_by("-created_at", "-pk")
    )
