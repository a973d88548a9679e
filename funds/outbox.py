"""Sending the cost-share task without ever losing it to a broker outage (a transactional outbox).

`cost_share_request` writes a CostShareRequest row in the caller's transaction and, once that
transaction commits, sends the task and deletes the row. With Redis down the send fails, the
request still succeeds (a warning is logged) and the row stays; the sweeper (beat, every 5 minutes)
sends every row older than SWEEP_GRACE again and deletes each one the broker accepted. A row is
deleted only after its task was accepted, and rows are committed with the change that needs them:
whatever happens between the two, the work is sent at least once; the task is idempotent.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.broker import BROKER_ERRORS, SEND_RETRY
from funds.models import CostShareRequest

logger = logging.getLogger(__name__)
# Rows younger than this may still be sent by their own transaction's on_commit: leave them be.
SWEEP_GRACE = datetime.timedelta(minutes=1)


def _send(application_id: int) -> bool:
    from funds.tasks import compute_cost_share

    try:
        compute_cost_share.apply_async(args=[application_id], retry=True, retry_policy=SEND_RETRY)
    except BROKER_ERRORS:
        logger.warning(
            "cost share of application %s left in the outbox: the task broker is unreachable",
            application_id,
            exc_info=True,
        )
        return False
    return True


def _send_and_clear(request_id: int, application_id: int) -> None:
    if _send(application_id):
        CostShareRequest.objects.filter(pk=request_id).delete()


def cost_share_request(*, application_id: int) -> CostShareRequest:
    """Ask for the application's split to be computed after this transaction commits."""
    row = CostShareRequest.objects.create(application_id=application_id, created_at=timezone.now())
    transaction.on_commit(lambda: _send_and_clear(row.pk, application_id))
    return row


def cost_share_sweep(*, now: datetime.datetime | None = None) -> dict:
    """Send the requests left behind again, one task per application, oldest first; stop at the
    first broker failure (the rest stay, their `attempts` counted)."""
    now = now or timezone.now()
    pending = CostShareRequest.objects.filter(created_at__lt=now - SWEEP_GRACE)
    application_ids = list(
        dict.fromkeys(pending.order_by("created_at", "pk").values_list("application_id", flat=True))
    )
    sent = 0
    for application_id in application_ids:
        if not _send(application_id):
            pending.update(attempts=F("attempts") + 1)
            return {"sent": sent, "left": len(application_ids) - sent, "broker": "down"}
        # Only the rows seen before sending: a newer one belongs to a change the task may not see.
        pending.filter(application_id=application_id).delete()
        sent += 1
    return {"sent": sent, "left": 0, "broker": "up"}
