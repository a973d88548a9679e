"""Reads of spending lines and deposits (SPEC §18.1-18.2): the SME's register with its running total,
one application's sums by review status (the settlement's inputs), the deposits' total (the payment
rule) and the staff review queue across their agency's programs."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce

from execution.models import Deposit, SpendingLine
from execution.permissions import execution_scope
from funds.models import CostShare

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

Status = SpendingLine.Status


class RunningTotal(TypedDict):
    running_total: int


def spending_list(*, application_id: int) -> "QuerySet[WithAnnotations[SpendingLine, RunningTotal]]":
    """One application's lines in the register's order (spent_on, id), each annotated with
    `running_total`: the sum of the lines not disallowed up to and including it — what counts against
    the agreed total, the same sum the `over_budget` flag compares. Disallowed lines add nothing. One
    query; a project has ~20 lines, so the register is never paginated."""
    counted = Case(
        When(status=Status.DISALLOWED, then=Value(0)), default=F("amount"), output_field=BigIntegerField()
    )
    return (
        SpendingLine.objects.filter(application_id=application_id)
        .select_related("reviewed_by")
        .annotate(running_total=Window(Sum(counted), order_by=[F("spent_on").asc(), F("id").asc()]))
        .order_by("spent_on", "id")
    )


def agreed_total(*, application) -> int:
    """The agreed total the spending is measured against (SPEC §18.1 `over_budget`, §18.3
    `agreed_total`): the application's current split's total (it follows approved cost changes),
    else its total cost when no split was computed yet."""
    total = CostShare.objects.filter(application_id=application.pk).values_list("total", flat=True).first()
    return (application.total_cost or 0) if total is None else total


@dataclass(frozen=True)
class SpendingSums:
    approved: int
    disallowed: int
    pending: int

    @property
    def counted(self) -> int:
        """What is not disallowed (approved or still pending): the `over_budget` flag's sum."""
        return self.approved + self.pending


def spending_sums(*, application_id: int) -> SpendingSums:
    """Approved, disallowed and pending sums of one application, in one query that the index
    (application, status, amount) answers without reading the table."""

    def by(status: str):
        return Coalesce(Sum("amount", filter=Q(status=status)), 0)

    sums = SpendingLine.objects.filter(application_id=application_id).aggregate(
        approved=by(Status.APPROVED), disallowed=by(Status.DISALLOWED), pending=by(Status.PENDING)
    )
    return SpendingSums(**sums)


def deposit_total(*, application_id: int) -> int:
    """What the SME has deposited of its share so far (SPEC §18.2), in one indexed query."""
    total = Deposit.objects.filter(application_id=application_id).aggregate(total=Coalesce(Sum("amount"), 0))
    return total["total"]


def deposit_list(*, application_id: int) -> QuerySet[Deposit]:
    """One application's deposits, oldest first."""
    return Deposit.objects.filter(application_id=application_id).order_by("deposited_on", "id")


@dataclass(frozen=True)
class SpendingQueueFilters:
    """The review queue's filters; None leaves a filter out."""

    program_id: int | None = None
    application_id: int | None = None
    flagged: bool | None = None  # True: flagged lines only; False: unflagged only


def spending_queue(*, user, filters: SpendingQueueFilters | None = None) -> QuerySet[SpendingLine]:
    """Pending lines across the programs `user` oversees (staff: their agency's; the ministry: all),
    flagged first, then oldest recorded first — the order of the partial index `spending_queue_idx`.
    A queue row's application, company and program are joined in; nobody else sees a queue (empty)."""
    scope = execution_scope(user)
    if scope is None:
        return SpendingLine.objects.none()
    queryset = SpendingLine.objects.filter(scope, status=Status.PENDING)
    filters = filters or SpendingQueueFilters()
    if filters.program_id is not None:
        queryset = queryset.filter(application__program_id=filters.program_id)
    if filters.application_id is not None:
        queryset = queryset.filter(application_id=filters.application_id)
    if filters.flagged is not None:
        queryset = queryset.filter(flagged=filters.flagged)
    return (
        queryset.select_related("application", "application__company", "application__program")
        .defer("application__plan")
        .order_by("-flagged", "created_at", "id")
    )
