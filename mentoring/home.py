"""Mentoring's sections of the signed-in home (program/home.py).

Staff see the assignments that need a hand (ending within two weeks or past their end and still
active) and the selected applications that want a mentor and have none; a mentor its active
assignments, when it last logged a session and which are overdue for one. There are no scheduled
visits in the model (docs/domain.md §7 logs sessions after they happen), so "next visit" is read as
"a session is due": none logged within `LOG_DUE_DAYS`.
"""

import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_mentor, is_staff
from applicants.selectors import application_list
from mentoring.models import MentoringAssignment
from mentoring.permissions import assignment_scope
from mentoring.selectors import ENDING_SOON_DAYS, assignment_list
from mentoring.services import MENTORABLE
from program.home import HomeSection

ACTIVE = MentoringAssignment.Status.ACTIVE
# A mentor logs a session at least this often while an assignment runs.
LOG_DUE_DAYS = 30


def staff_mentoring(request) -> HomeSection | None:
    """Staff: active assignments overdue or ending soon, and applications waiting for a mentor.
    Two queries."""
    user = request.user
    if not is_staff(user):
        return None
    today = timezone.localdate()
    if (scope := assignment_scope(user)) is None:
        return None
    active = MentoringAssignment.objects.filter(scope, status=ACTIVE)
    figures = active.aggregate(
        overdue=Count("pk", filter=Q(ends_on__lt=today)),
        ending_soon=Count(
            "pk", filter=Q(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
        ),
        next_end=Min("ends_on", filter=Q(ends_on__gte=today)),
    )
    figures["waiting"] = (
        application_list(user=user)
        .filter(wants_mentoring=True, status__in=MENTORABLE)
        .exclude(pk__in=active.values("application_id"))
        .count()
    )
    return HomeSection(
        name="mentoring",
        title=_("멘토링"),
        template="mentoring/home/staff.html",
        order=40,
        context={"figures": figures},
    )


def mentor_assignments(request) -> HomeSection | None:
    """A mentor: its active assignments with the last session and whether one is due. One query."""
    user = request.user
    if not is_mentor(user):
        return None
    today = timezone.localdate()
    due_before = today - datetime.timedelta(days=LOG_DUE_DAYS)
    rows = []
    for assignment in (
        assignment_list(user=user)
        .filter(status=ACTIVE)
        .annotate(last_session=Max("sessions__held_on"))
        .order_by("ends_on", "id")
    ):
        since = assignment.last_session or assignment.starts_on
        rows.append({
            "assignment": assignment,
            "log_due": since <= due_before and assignment.starts_on <= today,
            "next_log_by": since + datetime.timedelta(days=LOG_DUE_DAYS),
        })  # fmt: skip
    return HomeSection(
        name="mentor",
        title=_("나의 멘토링"),
        template="mentoring/home/mentor.html",
        order=10,
        context={
            "rows": rows,
            "overdue": sum(1 for row in rows if row["log_due"]),
            "log_due_days": LOG_DUE_DAYS,
        },
    )
