from celery import shared_task
from django.db import transaction

from applicants.selectors import application_get
from funds.outbox import cost_share_sweep
from funds.services import cost_share_compute


@shared_task(name="funds.compute_cost_share")
def compute_cost_share(application_id: int) -> dict | None:
    """Compute and store an application's cost-share split. Safe to run twice or on redelivery:
    a run killed inside its transaction leaves nothing, one killed after it leaves the same row a
    second run keeps (funds/tests/test_cost_share_worker.py)."""
    with transaction.atomic():
        application = application_get(application_id=application_id)
        if application is None:
            return None
        share = cost_share_compute(application=application)
    if share is None:
        return None
    return {"government": share.government, "sponsor": share.sponsor, "sme": share.sme}


@shared_task(name="funds.sweep_cost_share_requests")
def sweep_cost_share_requests() -> dict:
    """Every 5 minutes (beat): send again the cost-share tasks a broker outage kept back."""
    return cost_share_sweep()
