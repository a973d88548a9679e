import datetime

from celery import shared_task

from applicants.services import reminders


@shared_task(name="applicants.send_due_reminders")
def send_due_reminders(today: str | None = None) -> int:
    """Daily at 09:00 (beat): remind of change requests due in three days and today. Safe to run
    twice, at once or again: each reminder is sent once per object, kind and day."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.reminders_send(today=day)


@shared_task(name="applicants.anonymise_expired", acks_late=True)
def anonymise_expired(today: str | None = None) -> int:
    """Daily (beat): anonymise the personal data of companies past retention (applicants/retention.py).
    Safe to run twice or again after a lost worker: an anonymised company is not selected again."""
    from applicants import retention

    day = datetime.date.fromisoformat(today) if today else None
    return len(retention.anonymise_expired(today=day))
