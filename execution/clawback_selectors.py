"""Reads of clawbacks (환수, SPEC §18.4): the staff list with its filters, one application's
clawbacks, what open and collected clawbacks claim per pot, and what is still due (the sponsor
dashboard's `recovery_due`). Scope by execution.permissions.execution_scope: staff their agency's,
the ministry all, everyone else none."""

from collections import defaultdict
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from execution.models import Clawback
from execution.permissions import execution_scope

ST = Clawback.Status
# What still claims on a pot's payments: a clawback closed as uncollectable claims nothing more.
CLAIMING = (ST.OPEN, ST.COLLECTED)


def overdue_q(today=None) -> Q:
    """Open and past its due date."""
    return Q(status=ST.OPEN, due_on__lt=today or timezone.localdate())


def clawback_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[Clawback]:
    """The clawbacks `user` may see (staff their agency's, the ministry all; none for anyone else),
    with what a list shows joined in; `filters`: `status`, `overdue` (True), `application` (id)."""
    scope = execution_scope(user)
    if scope is None:
        return Clawback.objects.none()
    clawbacks = Clawback.objects.filter(scope).select_related("application__company", "application__program")
    filters = filters or {}
    if filters.get("status"):
        clawbacks = clawbacks.filter(status=filters["status"])
    if filters.get("overdue"):
        clawbacks = clawbacks.filter(overdue_q())
    if filters.get("application"):
        clawbacks = clawbacks.filter(application_id=filters["application"])
    return clawbacks.order_by("due_on", "id")


def clawback_visible(*, user, clawback_id: int) -> Clawback | None:
    """One clawback if `user` sees it (clawback_list's scope), else None (callers answer 404)."""
    return clawback_list(user=user).filter(pk=clawback_id).first()


def clawbacks_of(*, application_id: int) -> QuerySet[Clawback]:
    """One application's clawbacks, by due date."""
    return Clawback.objects.filter(application_id=application_id).order_by("due_on", "id")


def clawback_claims(*, application_id: int) -> dict[str, int]:
    """Per pot (`government`, `sponsor`): what the application's open and collected clawbacks claim
    back. One query."""
    row = Clawback.objects.filter(application_id=application_id, status__in=CLAIMING).aggregate(
        government=Sum("government", default=0), sponsor=Sum("sponsor", default=0)
    )
    return {"government": row["government"], "sponsor": row["sponsor"]}


def recovery_due_by(field: str, **scope: Any) -> dict[Any, dict[str, int]]:
    """Per value of `field` (e.g. `application__program_id`, `application__program__sponsor_id`):
    what open clawbacks of the applications `scope` filters still have to collect, per pot
    (`government`, `sponsor`). One query; a value with nothing due is absent."""
    rows = (
        Clawback.objects.filter(status=ST.OPEN, **scope)
        .values(field)
        .annotate(
            government=Sum(F("government") - F("collected_government")),
            sponsor=Sum(F("sponsor") - F("collected_sponsor")),
        )
        .order_by()
    )
    due: defaultdict[Any, dict[str, int]] = defaultdict(lambda: {"government": 0, "sponsor": 0})
    for row in rows:
        due[row[field]] = {"government": row["government"], "sponsor": row["sponsor"]}
    return dict(due)


def clawback_totals_by_sponsor(*, sponsor_id: int) -> dict[str, int]:
    """A sponsor's `recovery_due`: what open clawbacks of its programs' applications still owe its
    pot and the government's. One query."""
    due = recovery_due_by("application__program__sponsor_id", application__program__sponsor_id=sponsor_id)
    return due.get(sponsor_id, {"government": 0, "sponsor": 0})


def overdue_count(*, user) -> int:
    """The staff home's 'clawbacks overdue' count in `user`'s scope."""
    return clawback_list(user=user, filters={"overdue": True}).count()
