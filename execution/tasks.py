"""Celery tasks of execution: the weekly digest of spending awaiting review (beat, Monday 09:00)."""

import datetime

from celery import shared_task
from django.utils import timezone

from execution.services.digest import spending_digest_send


@shared_task(name="execution.send_spending_digest")
def send_spending_digest(today: str | None = None) -> int:
    """Weekly (beat): each agency's staff hear how many lines await review. Safe to run again: one
    digest per staff user per ISO week."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return spending_digest_send(today=day)
