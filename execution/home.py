"""The signed-in home's sections of SPEC §18 (program/home.py, `settings.PLUGINS["home_sections"]`).

Staff see, in their scope, the spending lines awaiting review (flagged among them), the projects in
completion review whose settlement is not confirmed, and the clawbacks past their due date; an SME its
projects in building with the link to their spending register, and any clawback it must pay. Each
runs a fixed number of queries however many rows there are.
"""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_applicant, is_official
from applicants.models import Application
from applicants.selectors import application_list
from execution.clawback_selectors import clawback_list
from execution.models import Clawback, Settlement, SpendingLine
from execution.permissions import execution_scope
from program.home import HomeSection

S = Application.Status
HOME_ROWS = 10


def staff_execution_todo(request) -> HomeSection | None:
    """Staff (and the ministry, reading): three counts with their links. Three queries."""
    user = request.user
    scope = execution_scope(user)
    if not is_official(user) or scope is None:
        return None
    lines = SpendingLine.objects.filter(scope, status=SpendingLine.Status.PENDING).aggregate(
        pending=Count("pk"), flagged=Count("pk", filter=Q(flagged=True))
    )
    unsettled = (
        application_list(user=user)
        .filter(status=S.COMPLETION_REVIEW)
        .filter(~Exists(Settlement.objects.filter(application=OuterRef("pk"))))
        .order_by()
        .count()
    )
    overdue = clawback_list(user=user, filters={"overdue": True}).order_by().count()
    return HomeSection(
        name="execution",
        title=_("집행·정산·환수 할 일"),
        template="execution/home/staff.html",
        order=25,
        context={"lines": lines, "unsettled": unsettled, "overdue": overdue},
    )


def applicant_spending(request) -> HomeSection | None:
    """An SME: its projects in building (the register's link) and its open clawbacks with their due
    date. None when it has neither. Two queries."""
    user = request.user
    if not is_applicant(user) or not user.company_id:
        return None
    mine = application_list(user=user)
    building = list(mine.filter(status=S.BUILDING).order_by("pk")[:HOME_ROWS])
    clawbacks = list(
        Clawback.objects.filter(application__in=mine.values("pk"), status=Clawback.Status.OPEN)
        .select_related("application")
        .order_by("due_on", "pk")[:HOME_ROWS]
    )
    if not building and not clawbacks:
        return None
    today = timezone.localdate()
    due: list[dict[str, Any]] = [
        {"clawback": clawback, "overdue": clawback.due_on < today} for clawback in clawbacks
    ]
    return HomeSection(
        name="my-spending",
        title=_("집행 내역·환수"),
        template="execution/home/applicant.html",
        order=15,
        context={"building": building, "clawbacks": due},
    )
