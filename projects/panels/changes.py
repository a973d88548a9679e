"""The changes panel of the staff application page (applicants/panels.py), tab "agreement"."""

from typing import Any

from applicants.models import Application
from applicants.panels import panel
from projects.change_forms import DecisionForm
from projects.change_permissions import can_decide_change
from projects.change_selectors import change_list
from projects.models import AgreementChange
from projects.services.changes import CHANGEABLE

S = Application.Status
# Changes are asked for under agreement and during the build; their history shows from then on.
SHOWN = (*CHANGEABLE, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED)


@panel(name="changes", template="projects/panels/changes.html", tab="agreement")
def changes(request, application, *, decision_forms: dict | None = None) -> dict[str, Any] | None:
    """협약변경: the pending changes with approve/reject, and the decided ones, before → after; shown
    once the agreement runs or any change exists."""
    if application.status not in SHOWN:  # no query before the agreement (the page's query count)
        return None
    rows = list(change_list(application_id=application.pk))
    forms = decision_forms or {}
    # Each pending change with its own decision form (as posted, after a refusal).
    pending = [
        (c, forms.get(c.pk) or DecisionForm(auto_id=f"change-{c.pk}-%s"))
        for c in rows
        if c.status == AgreementChange.Status.PENDING
    ]
    return {
        "pending": pending,
        "decided": [c for c in rows if c.status != AgreementChange.Status.PENDING],
        "can_decide": can_decide_change(request.user, application),
    }
