"""The agreement panel of the staff application page (applicants/panels.py), tab "agreement"."""

from typing import Any

from applicants.panels import panel


@panel(name="agreement", template="projects/panels/agreement.html", tab="agreement")
def agreement(request, application, **overrides) -> dict[str, Any] | None:
    return None  # not built yet
