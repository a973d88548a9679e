"""Reads for mentoring: who sees which assignments and sessions (docs/domain.md §1, §7), and the staff
overview."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import is_mentor
from applicants.selectors import application_list
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from mentoring.permissions import assignment_scope
from mentoring.services import MENTORABLE

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ACTIVE = MentoringAssignment.Status.ACTIVE
ENDING_SOON_DAYS = 14


class _Load(TypedDict):
    load: int


if TYPE_CHECKING:
    MentorWithLoad = WithAnnotations[Mentor, _Load]


def mentors_with_load(*, assignments: Q | None = None) -> "QuerySet[MentorWithLoad]":
    """Every mentor, annotated with `load`: its active assignments (what counts against its capacity),
    or only those `assignments` (a filter on `assignments__`, e.g. an official's agency) lets through."""
    active = Q(assignments__status=ACTIVE)
    if assignments is not None:
        active &= assignments
    return Mentor.objects.annotate(load=Count("assignments", filter=active))


def mentor_for_user(user) -> Mentor | None:
    """The mentor profile of a signed-in mentor, else None."""
    if not is_mentor(user):
        return None
    return Mentor.objects.filter(user=user).first()


def _hours_total(path: str):
    return Coalesce(Sum(path), Value(Decimal("0")), output_field=DecimalField(max_digits=8, decimal_places=1))


def assignment_list(*, user) -> QuerySet[MentoringAssignment]:
    """The assignments `user` may see, with the mentor, application, company and program joined in and
    the sessions counted and their hours summed (`session_count`, `hours_total`)."""
    scope = assignment_scope(user)
    if scope is None:
        return MentoringAssignment.objects.none()
    return (
        MentoringAssignment.objects.filter(scope)
        .select_related("mentor", "application", "application__company", "application__program")
        .defer("application__plan")
        .annotate(session_count=Count("sessions"), hours_total=_hours_total("sessions__hours"))
    )


def session_list(*, user) -> QuerySet[MentoringSession]:
    """The sessions of the assignments `user` may see, with what a list shows joined in."""
    scope = assignment_scope(user, prefix="assignment__")
    if scope is None:
        return MentoringSession.objects.none()
    return (
        MentoringSession.objects.filter(scope)
        .select_related(
            "assignment",
            "assignment__mentor",
            "assignment__application",
            "assignment__application__company",
            "logged_by",
        )
        .defer("assignment__application__plan")
    )


def _hours_by(sessions: QuerySet[MentoringSession], id_path: str, label_path: str) -> list[dict]:
    """Session hours and counts grouped by one object: rows of {id, label, hours, sessions}."""
    rows = (
        sessions.values(group=F(id_path), label=F(label_path))
        .annotate(hours=Sum("hours"), sessions=Count("id"))
        .order_by("label", "group")
    )
    return [
        {"id": r["group"], "label": r["label"], "hours": r["hours"], "sessions": r["sessions"]} for r in rows
    ]


def _official_scope(user, prefix: str = "") -> Q:
    scope = assignment_scope(user, prefix=prefix)
    if scope is None:
        raise ValueError("the mentoring overview is for officials")
    return scope


def mentoring_overview(*, user, today: datetime.date | None = None) -> dict:
    """What an official watches over mentoring, in five queries whatever the numbers. Everything but
    the mentors themselves (a shared register) keeps to the user's scope: staff their agency's, the
    ministry every agency's (docs/domain.md §1, mentoring.permissions.assignment_scope).

    - `loads`: every mentor (active ones first, then by name) as {mentor, active, capacity}, where
      `active` counts its active assignments in scope; it is also the pool from which staff open a
      profile;
    - `ending_soon`: active assignments ending within 14 days (or overdue and still active), soonest
      first;
    - `waiting`: applications that want mentoring, can have it (selected, agreement, building) and
      have no active assignment;
    - `hours_by_program`, `hours_by_sponsor`: rows of {id, label, hours, sessions} over the sessions.
    """
    today = today or timezone.localdate()
    active = MentoringAssignment.objects.filter(_official_scope(user), status=ACTIVE)
    sessions = MentoringSession.objects.filter(_official_scope(user, prefix="assignment__"))
    mentors = (
        mentors_with_load(assignments=_official_scope(user, prefix="assignments__"))
        .select_related("user", "sponsor", "supplier")
        .defer("bio")
        .order_by("-is_active", "name", "id")
    )
    ending_soon = (
        active.filter(ends_on__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
        .select_related("mentor", "application", "application__company", "application__program")
        .defer("application__plan")
        .order_by("ends_on", "id")
    )
    waiting = (
        application_list(user=user)
        .filter(wants_mentoring=True, status__in=MENTORABLE)
        .exclude(pk__in=active.values("application_id"))
        .order_by("decided_at", "id")
    )
    return {
        "today": today,
        "loads": [{"mentor": m, "active": m.load, "capacity": m.capacity} for m in mentors],
        "ending_soon": list(ending_soon),
        "waiting": list(waiting),
        "hours_by_program": _hours_by(
            sessions, "assignment__application__program_id", "assignment__application__program__title"
        ),
        "hours_by_sponsor": _hours_by(
            sessions,
            "assignment__application__program__sponsor_id",
            "assignment__application__program__sponsor__name",
        ),
    }
