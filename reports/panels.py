"""Reports' panel on the staff application page (applicants/panels.py): the outcomes."""

from typing import Any

from applicants.panels import panel
from reports.outcomes import REPORTABLE


@panel(name="outcomes", template="reports/panels/outcomes.html", tab="outcomes")
def outcomes(request, application) -> dict[str, Any] | None:
    """The KPI outcomes, once the application is over (docs/domain.md §8)."""
    return {} if application.status in REPORTABLE else None
