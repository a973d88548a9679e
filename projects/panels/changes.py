"""The changes panel of the staff application page (applicants/panels.py), tab "agreement"."""

from typing import Any

from applicants.panels import panel


@panel(name="changes", template="projects/panels/changes.html", tab="agreement")
def changes(request, application, **overrides) -> dict[str, Any] | None:
    return None  # not built yet
