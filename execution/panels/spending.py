"""The staff application page's spending panel (SPEC §18.1), tab "funds": the lines counted by review
status, how many carry a flag, and the links to the review queue and the settlement sheet."""

from typing import Any

from django.db.models import Count, Q, Sum

from applicants.panels import panel
from execution.models import SpendingLine
from execution.register import REGISTER_SHOWN

ST = SpendingLine.Status


@panel(name="spending", template="execution/panels/spending.html", tab="funds")
def spending(request, application, **overrides) -> dict[str, Any] | None:
    """Shown once the project is funded; one query for the counts, however many lines."""
    if application.status not in REGISTER_SHOWN:  # no query before selection (the page's query count)
        return None
    counts = SpendingLine.objects.filter(application_id=application.pk).aggregate(
        pending=Count("pk", filter=Q(status=ST.PENDING)),
        approved=Count("pk", filter=Q(status=ST.APPROVED)),
        disallowed=Count("pk", filter=Q(status=ST.DISALLOWED)),
        flagged=Count("pk", filter=Q(status=ST.PENDING, flagged=True)),
        total=Sum("amount", default=0),
    )
    return {"counts": counts}
