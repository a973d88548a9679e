"""Reminders of clawbacks due (SPEC §19) and the weekly digest of spending awaiting review. PART D
fills this module; until then the source finds nothing due."""

from applicants.services.reminders import ReminderSource
from execution.models import Clawback


def clawbacks_due() -> ReminderSource:
    return ReminderSource(
        name="clawback",
        due=lambda days: Clawback.objects.none(),
        due_on=lambda clawback: clawback.due_on,
        recipients=lambda clawbacks: {},
        message=lambda clawback, days: ("", ""),
        url=lambda clawback: "",
    )
