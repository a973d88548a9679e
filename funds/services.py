from django.db import transaction
from django.utils import timezone

from applicants.selectors import application_lock
from funds.cost_share import Split, split_cost
from funds.models import CostShare


@transaction.atomic
def cost_share_compute(*, application) -> CostShare | None:
    """Store the §3.2 split of the application's current total. Idempotent: the same total and
    policy leave the stored row (and its `computed_at`) untouched."""
    # Lock the application so that two runs (a redelivered task) never race to create the row.
    application = application_lock(application_id=application.pk)
    if application.total_cost is None:
        return None
    split: Split = split_cost(
        application.total_cost, application.level, application.program.cost_share_policy()
    )
    values = {
        "total": split.total,
        "government": split.government,
        "sponsor": split.sponsor,
        "sme": split.sme,
        "capped": split.capped,
    }
    current = CostShare.objects.select_for_update().filter(application=application).first()
    if current is None:
        return CostShare.objects.create(application=application, computed_at=timezone.now(), **values)
    if all(getattr(current, field) == value for field, value in values.items()):
        return current
    for field, value in values.items():
        setattr(current, field, value)
    current.computed_at = timezone.now()
    current.save()
    return current
