"""Mentoring's panel on the staff application page (applicants/panels.py): the mentors."""

import datetime
from typing import Any

from django.utils import timezone

from applicants.panels import panel
from mentoring.permissions import can_assign_mentor
from mentoring.services import MENTORABLE
from mentoring.suggestions import mentor_suggestions

DEFAULT_WEEKS = 12


@panel(name="mentors", template="mentoring/panels/mentors.html", tab="mentoring")
def mentors(request, application, *, mentor_error: str | None = None) -> dict[str, Any]:
    """The application's mentors and, while it may be mentored, the suggested ones with the dates a
    one-click assignment takes (docs/domain.md §7)."""
    mentorable = application.status in MENTORABLE
    return {
        "mentorable": mentorable,
        "mentoring": application.mentoring_assignments.select_related("mentor").order_by("-starts_on"),
        "suggestions": mentor_suggestions(application=application) if mentorable else [],
        "mentor_window": default_window(),
        "mentor_error": mentor_error,
        "can_assign": can_assign_mentor(request.user, application),
    }


def default_window(today=None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today, today + datetime.timedelta(weeks=DEFAULT_WEEKS)
