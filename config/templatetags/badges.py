"""Statuses as KRDS badges, one tone per meaning everywhere (issue 17, item 1).

`{% include "includes/status_badge.html" with status=obj.status label=obj.get_status_display %}`
or `{{ obj.status|badge_tone }}` on a `krds-badge`. The tone says where the thing stands, not which
app it belongs to: waiting on someone (information), needs the applicant (warning), good outcome
(success), ended badly (danger), ended by choice or inactive (disabled), in work (primary/point).
The text always carries the meaning too; colour is never the only signal (KWCAG 1.3.3).
"""

from django import template

register = template.Library()

TONES = {
    # applications
    "draft": "bg-light-gray",
    "submitted": "bg-light-information",
    "screening": "bg-light-information",
    "changes_requested": "bg-light-warning",
    "evaluation": "bg-light-primary",
    "selected": "bg-light-success",
    "rejected": "bg-light-danger",
    "agreement": "bg-light-primary",
    "building": "bg-light-point",
    "completion_review": "bg-light-information",
    "completed": "bg-success",
    "withdrawn": "bg-light-disabled",
    # programs
    "open": "bg-light-success",
    "closed": "bg-light-gray",
    "archived": "bg-light-disabled",
    # reports, e-mails
    "pending": "bg-light-gray",
    "running": "bg-light-information",
    "done": "bg-light-success",
    "sent": "bg-light-success",
    "failed": "bg-light-danger",
    # imports (SPEC §15.5): the task at work, then the dry run waiting for staff to confirm
    "checking": "bg-light-information",
    "checked": "bg-light-primary",
    "importing": "bg-light-information",
}
DEFAULT = "bg-light-gray"


@register.filter
def badge_tone(status: str) -> str:
    """The KRDS badge class for a status value (unknown values are neutral grey)."""
    return TONES.get(str(status), DEFAULT)
