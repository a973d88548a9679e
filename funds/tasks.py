from celery import shared_task

from applicants.selectors import application_get
from funds.services import cost_share_compute


@shared_task(name="funds.compute_cost_share")
def compute_cost_share(application_id: int) -> dict | None:
    """Compute and store an application's cost-share split. Safe to run twice or on redelivery."""
    application = application_get(application_id=application_id)
    if application is None:
        return None
    share = cost_share_compute(application=application)
    if share is None:
        return None
    return {"government": share.government, "sponsor": share.sponsor, "sme": share.sme}
