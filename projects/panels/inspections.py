"""The inspection panel of the staff application page (applicants/panels.py), tab "agreement"."""

from typing import Any

from applicants.panels import panel


@panel(name="inspection", template="projects/panels/inspection.html", tab="agreement")
def inspection(request, application, **overrides) -> dict[str, Any] | None:
    return None  # not built yet
