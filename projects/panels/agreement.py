"""The agreement panel of the staff application page (applicants/panels.py), tab "agreement"."""

from typing import Any

from applicants.models import Application
from applicants.panels import panel
from applicants.workflow import FUNDED
from projects.forms import AgreementForm
from projects.models import Agreement
from projects.permissions import can_edit_agreement
from projects.selectors import agreement_or_draft, agreement_split, kpi_target_rows

MIN_ROWS_SHOWN = 3
S = Application.Status
# An agreement exists from selection on; withdrawn may have been before or after it.
AFTER_SELECTION = FUNDED | {S.COMPLETED, S.TERMINATED, S.WITHDRAWN}


@panel(name="agreement", template="projects/panels/agreement.html", tab="agreement")
def agreement(
    request, application, *, agreement_form: AgreementForm | None = None, agreement_error: str | None = None
) -> dict[str, Any] | None:
    """협약 (SPEC §16): the draft's form while a draft, then the sent document, its signatures and the
    countersignature; staff of the agency act, the ministry reads."""
    if application.status not in AFTER_SELECTION:
        return None  # no query before selection
    found = agreement_or_draft(application=application)
    if found is None:
        return None
    can_edit = can_edit_agreement(request.user, application) and application.status == "selected"
    status = found.status
    form = None
    if can_edit and status == Agreement.Status.DRAFT:
        form = agreement_form or AgreementForm(initial=AgreementForm.initial_for(found))
    filled = len(found.kpi_targets) if agreement_form is None else len(agreement_form.targets())
    shown = max(MIN_ROWS_SHOWN, filled)
    rows = form.rows() if form is not None else []
    return {
        "agreement": found,
        "form": form,
        "rows_shown": rows[:shown],
        "rows_more": rows[shown:],
        "kpi_errors": form.errors.get("kpi_targets", []) if form is not None and form.is_bound else [],
        "agreement_error": agreement_error,
        "split": agreement_split(application),
        "targets": kpi_target_rows(found.kpi_targets),
        "signatures": list(found.signatures.all()) if found.pk else [],
        "can_send": can_edit and status == Agreement.Status.DRAFT and bool(found.pk),
        "can_recall": can_edit and status == Agreement.Status.SENT,
        "can_countersign": can_edit and status == Agreement.Status.SIGNED_BY_SME,
    }
