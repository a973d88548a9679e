from celery import shared_task

from program import outbox


@shared_task(bind=True, name="program.email_send", max_retries=None)
def email_send(self, email_id: int) -> str:
    """Send one e-mail of the outbox (program/outbox.py). Safe to deliver twice: the row is claimed
    before sending. The row counts the attempts (EMAIL_MAX_ATTEMPTS), not Celery: a task the sweeper
    sends again starts Celery's count afresh, the row's goes on. Without a broker (tasks run in the
    request) a failed try is not retried in place, which would hold the request through the backoff:
    the row stays pending with its error."""
    delivery = outbox.email_deliver(email_id=email_id)
    if delivery.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=delivery.retry_in)
    return delivery.outcome


@shared_task(name="program.email_send_each")
def email_send_each(email_ids: list[int]) -> int:
    """Send the `program.email_send` task of each of many outbox rows queued at once (a reminder run's
    batch): the request published this one task instead of one per row. How many were sent."""
    return outbox.email_tasks_send(email_ids=email_ids)


@shared_task(name="program.email_sweep")
def email_sweep() -> dict:
    """Every minute (beat): send again the e-mails whose task a broker outage or a dead worker lost."""
    return outbox.email_sweep()
