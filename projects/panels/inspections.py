"""The inspection panel of the staff application page (applicants/panels.py), tab "agreement":
in 완료점검 the form to record one (SPEC §17), and the inspections so far, newest first."""

from typing import Any

from applicants.models import Application
from applicants.panels import panel
from projects.inspection_forms import InspectionForm
from projects.inspection_permissions import can_record_inspection
from projects.inspection_selectors import inspections_shown, kpi_rows_with_results

S = Application.Status
SHOWN = (S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED)


@panel(name="inspection", template="projects/panels/inspection.html", tab="agreement")
def inspection(
    request, application, *, inspection_form: InspectionForm | None = None
) -> dict[str, Any] | None:
    """From building on (a reworked project keeps its history); nothing before."""
    if application.status not in SHOWN:
        return None
    rows = kpi_rows_with_results(application=application)
    can_record = application.status == S.COMPLETION_REVIEW and can_record_inspection(
        request.user, application
    )
    form = None
    if can_record:
        form = inspection_form or InspectionForm(application=application, targets=rows)
    return {
        "inspections": inspections_shown(application_id=application.pk),
        "kpi_rows": rows,
        "inspection_form": form,
    }
