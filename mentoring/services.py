"""Mentoring (docs/domain.md §7): mentor profiles, assignments to selected applications, and session logs.

Every rule of an assignment is checked here and nowhere else; pages, the API and commands call these.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from applicants.models import Application
from applicants.selectors import application_lock
from config.dates import add_months
from config.errors import Conflict, NotAllowed
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from mentoring.permissions import can_assign_mentor, can_change_mentor, can_end_assignment, can_log_session
from mentoring.vocabulary import KSIC_DIVISIONS
from program.choices import Expertise, Region
from program.notifications import notify
from program.services import audit_changes_record, audit_event_record
from program.validators import check_field

S = Application.Status
ACTIVE = MentoringAssignment.Status.ACTIVE
# An application can be mentored from selection until its build is done.
MENTORABLE = (S.SELECTED, S.AGREEMENT, S.BUILDING)
MAX_MENTORS_PER_APPLICATION = 3
MIN_ASSIGNMENT_DAYS = 28
MAX_ASSIGNMENT_MONTHS = 6
SESSION_MIN_HOURS, SESSION_MAX_HOURS, SESSION_STEP = Decimal("0.5"), Decimal("12"), Decimal("0.5")

MENTOR_FIELDS = (
    "user",
    "name",
    "sponsor",
    "supplier",
    "affiliation",
    "expertise",
    "ksic_divisions",
    "regions",
    "capacity",
    "is_active",
    "bio",
)


# --- Mentor profiles ---------------------------------------------------------------------------------


def _is_choice_list(value, allowed) -> bool:
    """A list (or tuple) of codes, all from `allowed`."""
    return isinstance(value, list | tuple) and all(isinstance(v, str) and v in allowed for v in value)


def _clean_mentor_lists(fields: dict) -> None:
    checks = {
        "expertise": (
            set(Expertise.values),
            _("전문분야는 %s 중에서 고르세요.") % ", ".join(str(label) for label in Expertise.labels),
        ),
        "ksic_divisions": (
            set(KSIC_DIVISIONS),
            _("업종은 한국표준산업분류 제조업 중분류 두 자리 코드(10~34)로 입력하세요."),
        ),
        "regions": (set(Region.values), _("활동 지역은 17개 시·도 중에서 고르세요.")),
    }
    errors = {}
    for name, (allowed, message) in checks.items():
        if name not in fields:
            continue
        if _is_choice_list(fields[name], allowed):
            fields[name] = list(dict.fromkeys(fields[name]))  # distinct, in the order given
        else:
            errors[name] = message
    if errors:
        raise ValidationError(errors)


_MENTOR_RELATIONS = ("user", "sponsor", "supplier")


def _mentor_snapshot(mentor: Mentor) -> dict:
    """The profile's fields as JSON for the audit trail (related objects by id)."""
    return {
        name: getattr(mentor, f"{name}_id" if name in _MENTOR_RELATIONS else name) for name in MENTOR_FIELDS
    }


@transaction.atomic
def mentor_save(*, actor, mentor: Mentor | None = None, **fields) -> Mentor:
    """Create a mentor profile, or update `mentor` with `fields`. Staff only."""
    if not can_change_mentor(actor, mentor):
        raise NotAllowed()
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise TypeError(f"mentor_save() got unknown fields: {', '.join(sorted(unknown))}")
    _clean_mentor_lists(fields)
    user = fields.get("user")
    if user is not None and user.role != Role.MENTOR:
        raise ValidationError({"user": _("멘토 역할의 사용자만 멘토 프로필에 연결할 수 있습니다.")})
    creating = mentor is None
    if mentor is None:
        mentor, before = Mentor(), {}
    else:
        mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
        before = _mentor_snapshot(mentor)
    for name, value in fields.items():
        setattr(mentor, name, value)
    mentor.full_clean()
    mentor.save()
    after = _mentor_snapshot(mentor)
    if creating:
        audit_event_record(actor=actor, action="mentor.create", target=mentor, after=after)
    else:
        audit_changes_record(actor=actor, action="mentor.update", target=mentor, before=before, after=after)
    return mentor


# --- Assignments -------------------------------------------------------------------------------------


def _check_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    """4 weeks to 6 calendar months, both ends inclusive."""
    earliest = starts_on + datetime.timedelta(days=MIN_ASSIGNMENT_DAYS)
    latest = add_months(starts_on, MAX_ASSIGNMENT_MONTHS)
    if not earliest <= ends_on <= latest:
        message = _(
            "멘토링 기간은 4주 이상 6개월 이하여야 합니다. "
            "종료일을 %(earliest)s부터 %(latest)s 사이로 정하세요."
        )
        raise ValidationError(
            {"ends_on": message % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}}
        )


def _check_mentor(mentor: Mentor, application: Application) -> None:
    active = MentoringAssignment.objects.filter(status=ACTIVE)
    if active.filter(mentor=mentor, application=application).exists():
        raise ValidationError({"mentor": _("이 멘토는 이미 이 신청서에 배정되어 있습니다.")})
    if active.filter(application=application).count() >= MAX_MENTORS_PER_APPLICATION:
        raise Conflict(
            _("한 신청서에는 멘토를 최대 %d명까지 배정할 수 있습니다.") % MAX_MENTORS_PER_APPLICATION,
            code="too_many_mentors",
        )
    if not mentor.is_active:
        raise Conflict(_("활동중이 아닌 멘토는 배정할 수 없습니다."), code="mentor_inactive")
    load = active.filter(mentor=mentor).count()
    if load >= mentor.capacity:
        raise Conflict(
            _("%(name)s 멘토는 동시 배정 한도(%(capacity)d건)에 도달했습니다.")
            % {"name": mentor.name, "capacity": mentor.capacity},
            code="mentor_at_capacity",
        )
    if application.supplier_id is not None and mentor.supplier_id == application.supplier_id:
        raise Conflict(_("신청서의 공급기업에 소속된 멘토는 배정할 수 없습니다."), code="supplier_conflict")


def mentor_lock(*, mentor_id: int) -> Mentor:
    """The mentor row, locked until the end of the current transaction (always after the application's)."""
    return Mentor.objects.select_for_update(of=("self",)).select_related("user").get(pk=mentor_id)


@transaction.atomic
def assignment_create(
    *,
    actor,
    application: Application,
    mentor: Mentor,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> MentoringAssignment:
    """Assign `mentor` to `application` (docs/domain.md §7 rules), audit it and tell the mentor and the SME.

    The application row is locked first, then the mentor row, so that concurrent assignments can
    exceed neither the three mentors of an application nor a mentor's capacity.
    """
    if not can_assign_mentor(actor, application):
        raise NotAllowed()
    application = application_lock(application_id=application.pk)
    if application.status not in MENTORABLE:
        raise Conflict(
            _("선정·협약·구축 단계의 신청서에만 멘토를 배정할 수 있습니다(현재: %s).")
            % application.get_status_display(),
            code="not_mentorable",
        )
    _check_period(starts_on, ends_on)
    mentor = mentor_lock(mentor_id=mentor.pk)
    _check_mentor(mentor, application)
    assignment = MentoringAssignment.objects.create(
        mentor=mentor, application=application, starts_on=starts_on, ends_on=ends_on, assigned_by=actor
    )
    audit_event_record(
        actor=actor,
        action="mentoring.assign",
        target=application,
        after={
            "assignment": assignment.pk,
            "mentor": mentor.pk,
            "mentor_name": mentor.name,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    _notify_assignment(assignment)
    return assignment


def _notify_assignment(assignment: MentoringAssignment) -> None:
    application, mentor = assignment.application, assignment.mentor
    subject = _("[상생형 스마트공장] 멘토 배정: %(title)s") % {"title": application.title}
    body = _(
        "%(company)s의 신청서 '%(title)s'에 %(mentor)s 멘토가 배정되었습니다.\n"
        "멘토링 기간: %(start)s ~ %(end)s"
    ) % {
        "company": application.company.name,
        "title": application.title,
        "mentor": mentor.name,
        "start": assignment.starts_on.isoformat(),
        "end": assignment.ends_on.isoformat(),
    }
    members = list(application.company.members.all())
    audiences = [(members, reverse("applicants:my-detail", args=[application.pk]))]
    if mentor.user is not None:
        audiences.append(([mentor.user], reverse("mentoring:assignment", args=[assignment.pk])))
    for users, url in audiences:
        notify(
            subject=subject, body=body, users=users, url=url, kind="mentoring.assignment", target=assignment
        )


def _lock_assignment(assignment: MentoringAssignment) -> MentoringAssignment:
    return (
        MentoringAssignment.objects.select_for_update(of=("self",))
        .select_related("mentor", "application")
        .get(pk=assignment.pk)
    )


def _not_active() -> Conflict:
    return Conflict(_("진행중인 멘토링 배정이 아닙니다."), code="assignment_not_active")


@transaction.atomic
def assignment_end(*, actor, assignment: MentoringAssignment, status: str = "ended") -> MentoringAssignment:
    """End (종료) or cancel (취소) an active assignment; it then no longer counts against any limit."""
    if not can_end_assignment(actor, assignment):
        raise NotAllowed()
    endings = (MentoringAssignment.Status.ENDED, MentoringAssignment.Status.CANCELLED)
    if status not in endings:
        raise ValidationError({"status": _("'종료' 또는 '취소'만 고를 수 있습니다.")})
    application_lock(application_id=assignment.application_id)
    assignment = _lock_assignment(assignment)
    if assignment.status != ACTIVE:
        raise _not_active()
    assignment.status = status
    assignment.save(update_fields=["status"])
    audit_event_record(
        actor=actor,
        action="mentoring.end" if status == MentoringAssignment.Status.ENDED else "mentoring.cancel",
        target=assignment.application,
        before={"assignment": assignment.pk, "status": ACTIVE},
        after={"assignment": assignment.pk, "status": status, "mentor": assignment.mentor_id},
    )
    return assignment


# --- Sessions ----------------------------------------------------------------------------------------


def _clean_hours(hours) -> Decimal:
    """Hours as a Decimal within 0.5–12 in steps of 0.5, else ValueError."""
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not value.is_finite() or not SESSION_MIN_HOURS <= value <= SESSION_MAX_HOURS or value % SESSION_STEP:
        raise ValueError
    return value.quantize(Decimal("0.1"))


def _check_session(assignment: MentoringAssignment, held_on, hours, mode) -> Decimal:
    errors = {}
    try:
        hours = _clean_hours(hours)
    except ValueError:
        errors["hours"] = _("멘토링 시간은 0.5시간 단위로 0.5~12시간이어야 합니다.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("앞으로의 날짜에는 멘토링 일지를 쓸 수 없습니다.")
    elif not assignment.starts_on <= held_on <= assignment.ends_on:
        errors["held_on"] = _("멘토링 일자는 배정 기간(%(start)s ~ %(end)s) 안이어야 합니다.") % {
            "start": assignment.starts_on.isoformat(),
            "end": assignment.ends_on.isoformat(),
        }
    if mode not in MentoringSession.Mode.values:
        errors["mode"] = _("방식은 방문 또는 온라인이어야 합니다.")
    if errors:
        raise ValidationError(errors)
    return hours


@transaction.atomic
def session_log(
    *,
    actor,
    assignment: MentoringAssignment,
    held_on: datetime.date,
    hours,
    mode: str,
    notes: str = "",
) -> MentoringSession:
    """Log one mentoring session of an active assignment: by its own mentor, or by staff."""
    assignment = _lock_assignment(assignment)
    if not can_log_session(actor, assignment):
        raise NotAllowed()
    if assignment.status != ACTIVE:
        raise _not_active()
    hours = _check_session(assignment, held_on, hours, mode)
    notes = (notes or "").strip()
    check_field(MentoringSession, "notes", notes)
    session = MentoringSession.objects.create(
        assignment=assignment,
        held_on=held_on,
        hours=hours,
        mode=mode,
        notes=notes,
        logged_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="mentoring.session",
        target=assignment.application,
        after={
            "assignment": assignment.pk,
            "session": session.pk,
            "held_on": held_on.isoformat(),
            "hours": str(hours),
            "mode": mode,
        },
    )
    return session
