"""A due date as people read it: "보완 기한 2026. 12. 15. (5일 남음)", "오늘 마감", "기한 지남 (2일)".

`{% load due %}{% due_line application.changes_due_on %}`: nothing when there is no date. The badge's
tone says how urgent (warning; danger once past), and its text says it too (KWCAG 1.3.3).
"""

import datetime
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Due:
    on: datetime.date
    days_left: int  # negative once past
    label: str
    tone: str


def due_state(on: datetime.date | None, today: datetime.date | None = None) -> Due | None:
    if on is None:
        return None
    days_left = (on - (today or timezone.localdate())).days
    if days_left > 0:
        return Due(on, days_left, _("%d일 남음") % days_left, "bg-light-warning")
    if days_left == 0:
        return Due(on, 0, _("오늘 마감"), "bg-light-warning")
    return Due(on, days_left, _("기한 지남 (%d일)") % -days_left, "bg-light-danger")


@register.inclusion_tag("applicants/_due_line.html")
def due_line(on: datetime.date | None, label: str = "") -> dict:
    return {"due": due_state(on), "label": label or _("보완 기한")}
