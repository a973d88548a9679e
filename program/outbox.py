"""E-mail through an outbox: no broker or SMTP outage loses a message, and none is sent twice by us.

`email_queue` writes one OutgoingEmail row per recipient in the caller's transaction and, once it
commits, sends one `program.email_send` task per row (config.broker's short retry policy). With the
broker down the request still succeeds (a warning is logged) and the rows stay pending.

`email_deliver` (the task's body) claims its row with a conditional UPDATE, so a task delivered twice
sends once; it sends through Django's mail API (settings.EMAIL_BACKEND) and marks the row sent. An
SMTP failure (any OSError: refused, timed out, rejected) counts an attempt, keeps the error and asks
for a retry after an exponential backoff; the EMAIL_MAX_ATTEMPTS-th failure marks the row failed.

`email_sweep` (beat, every minute) sends the task again for every pending row whose try is overdue by
SWEEP_GRACE: its on_commit send was lost to a broker outage, its worker died, its retry was lost.
It stops at the first broker failure. Delivery is at least once: a worker killed between the SMTP
server's acceptance and the UPDATE to `sent` leaves a claim that expires, and the mail goes again.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.broker import BROKER_ERRORS, SEND_RETRY
from program.models import OutgoingEmail

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status
# A pending row is the sweeper's this long after its try fell due (before, its own task may be on it).
SWEEP_GRACE = datetime.timedelta(minutes=2)
# A claim older than this belongs to a delivery that died; longer than any SMTP exchange (EMAIL_TIMEOUT).
CLAIM_LEASE = datetime.timedelta(minutes=5)
SWEEP_BATCH = 500
BACKOFF_CAP = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """What one try did: `sent`, `failed`, `retry` (in `retry_in` seconds) or `skipped` (already sent,
    failed, gone, or claimed by another delivery)."""

    outcome: str
    retry_in: int | None = None


def email_queue(*, subject: str, body: str, recipients: list[str]) -> list[OutgoingEmail]:
    """Mail `recipients` once the current transaction commits: one row each, one task each."""
    return email_queue_each(emails=[(subject, body, recipients)])


def email_queue_each(*, emails: Iterable[tuple[str, str, list[str]]]) -> list[OutgoingEmail]:
    """Several `email_queue` calls at once, each `(subject, body, recipients)`: one INSERT for all
    their rows and one send once the transaction commits (a reminder run's batch, bench/inbox.py)."""
    now = timezone.now()
    rows = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(to=address, subject=str(subject), body=str(body), created_at=now, next_attempt_at=now)
        for subject, body, recipients in emails
        for address in recipients
    )
    if not rows:
        return []
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _send_tasks_soon(ids))
    return rows


# Above this many rows at once, the request hands a worker one task that sends the rows' tasks: one
# publish costs a broker round trip (about 1 ms), and a reminder run queues thousands (bench/inbox.py).
FAN_OUT_ABOVE = 50


def _send_tasks_soon(ids: list[int]) -> None:
    """A task per row, or for many rows one `program.email_send_each` task that sends them from a
    worker; a broker that refuses it leaves the rows to the sweeper, as for a single row."""
    if len(ids) <= FAN_OUT_ABOVE:
        _send_tasks(ids)
        return
    from program.tasks import email_send_each

    try:
        email_send_each.apply_async(args=[ids], retry=True, retry_policy=SEND_RETRY)
    except BROKER_ERRORS:
        logger.warning(
            "%d e-mails left in the outbox: the task broker is unreachable", len(ids), exc_info=True
        )


def email_tasks_send(*, email_ids: list[int]) -> int:
    """`program.email_send_each`'s body, in a worker: a task per row; how many the broker took."""
    return _send_tasks(email_ids)


def _send_tasks(ids: list[int]) -> int:
    """Send a task per row, stopping at the first the broker refuses (the rest wait for the sweeper)."""
    for count, email_id in enumerate(ids):
        if not _send_task(email_id):
            return count
    return len(ids)


def _send_task(email_id: int) -> bool:
    from program.tasks import email_send

    try:
        email_send.apply_async(args=[email_id], retry=True, retry_policy=SEND_RETRY)
    except BROKER_ERRORS:
        logger.warning(
            "e-mail %s left in the outbox: the task broker is unreachable", email_id, exc_info=True
        )
        return False
    return True


def email_deliver(*, email_id: int) -> Delivery:
    """Send one outbox row unless it is sent, failed or being sent; record what happened."""
    claimed_at = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=claimed_at - CLAIM_LEASE)
    claimed = OutgoingEmail.objects.filter(claimable, pk=email_id, status=Status.PENDING).update(
        claimed_at=claimed_at
    )
    if not claimed:
        return Delivery("skipped")
    email = OutgoingEmail.objects.get(pk=email_id)
    mine = OutgoingEmail.objects.filter(pk=email_id, claimed_at=claimed_at)
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
    except ValueError as error:  # a header Django refuses (a newline in the subject): never sendable
        return _record_failure(mine, email, error, final=True)
    except OSError as error:  # smtplib's errors, a refused or timed-out connection
        return _record_failure(mine, email, error, final=email.attempts + 1 >= settings.EMAIL_MAX_ATTEMPTS)
    mine.update(status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, claimed_at=None)
    logger.info("e-mail %s sent to %s", email_id, email.to)
    return Delivery("sent")


def _record_failure(mine, email: OutgoingEmail, error: Exception, *, final: bool) -> Delivery:
    attempts = email.attempts + 1
    message = f"{type(error).__name__}: {error}"[: OutgoingEmail.ERROR_MAX_LENGTH]
    if final:
        mine.update(status=Status.FAILED, attempts=attempts, last_error=message, claimed_at=None)
        logger.error("e-mail %s to %s failed after %s attempts: %s", email.pk, email.to, attempts, message)
        return Delivery("failed")
    retry_in = email_backoff(attempts)
    mine.update(
        attempts=attempts,
        last_error=message,
        claimed_at=None,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=retry_in),
    )
    logger.warning(
        "e-mail %s to %s not sent (attempt %s), retry in %ss: %s",
        email.pk,
        email.to,
        attempts,
        retry_in,
        message,
    )
    return Delivery("retry", retry_in=retry_in)


def email_backoff(attempts: int) -> int:
    """Seconds before the next try after `attempts` failures: EMAIL_RETRY_BACKOFF doubled each time,
    at most an hour (30 s, 1, 2, 4, 8, 16, 32 min, 1 h: about two hours of outage over 8 attempts)."""
    delay = settings.EMAIL_RETRY_BACKOFF * 2 ** (attempts - 1)
    return int(min(delay, BACKOFF_CAP.total_seconds()))


def email_sweep(*, now: datetime.datetime | None = None) -> dict:
    """Send the task again for the overdue pending rows, oldest first; stop at the first broker
    failure. A row sent again is due again only SWEEP_GRACE later, so a queue slower than a minute
    does not collect one copy of it per sweep (a copy costs nothing: the claim skips it)."""
    now = now or timezone.now()
    overdue = OutgoingEmail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE),
        status=Status.PENDING,
        next_attempt_at__lt=now - SWEEP_GRACE,
    )
    due = list(overdue.order_by("next_attempt_at", "pk").values_list("pk", "next_attempt_at")[:SWEEP_BATCH])
    sent = 0
    for email_id, due_at in due:
        if not _send_task(email_id):
            return {"sent": sent, "left": len(due) - sent, "broker": "down"}
        # Unless the task has already been at it (a failure sets its own next try).
        OutgoingEmail.objects.filter(pk=email_id, next_attempt_at=due_at).update(next_attempt_at=now)
        sent += 1
    return {"sent": sent, "left": 0, "broker": "up"}


@transaction.atomic
def email_resend(*, email_ids: list[int]) -> int:
    """Give failed mails a fresh set of attempts (after a mail server outage longer than the
    backoff's two hours, or a fixed address): pending again, sent once this transaction commits."""
    failed = OutgoingEmail.objects.filter(pk__in=email_ids, status=Status.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None)
    logger.info("e-mails %s queued again after failing", ids)
    transaction.on_commit(lambda: _send_tasks(ids))
    return len(ids)
