"""The mentoring rules of docs/domain.md §7, each at and past its edge; a refused change leaves everything
as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from applicants.models import Application
from config.errors import Conflict, NotAllowed
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from mentoring.services import add_months, assignment_create, assignment_end, mentor_save, session_log
from program.models import AuditEvent, Notification
from tests.factories import (
    ApplicationFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    SponsorFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
MARCH_2 = datetime.date(2026, 3, 2)


@pytest.fixture
def application():
    owner = UserFactory(applicant=True)
    return ApplicationFactory(selected=True, company=owner.company, supplier=SupplierFactory())


@pytest.fixture
def mentor():
    return MentorFactory()


def non_staff_users():
    return [
        UserFactory(mentor=True),
        UserFactory(applicant=True),
        UserFactory(evaluator=True),
        UserFactory(sponsor_user=True),
        UserFactory(role="staff", is_active=False),
    ]


class Unchanged:
    """Counts what a refused call must not have changed."""

    def __init__(self):
        self.state = self.snapshot()

    @staticmethod
    def snapshot():
        return (
            Mentor.objects.count(),
            MentoringAssignment.objects.filter(status="active").count(),
            MentoringAssignment.objects.count(),
            MentoringSession.objects.count(),
            AuditEvent.objects.count(),
            len(mail.outbox),
        )

    def check(self):
        assert self.snapshot() == self.state


def assign(staff, application, mentor, starts_on=MARCH_2, ends_on=None):
    return assignment_create(
        actor=staff,
        application=application,
        mentor=mentor,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=90),
    )


def refused(error_type, call, *, code=None, field=None):
    """Run `call`, expect `error_type` (with `code` or on `field`), and that nothing changed."""
    unchanged = Unchanged()
    with pytest.raises(error_type) as caught:
        call()
    if code:
        assert caught.value.code == code
    if field:
        assert list(caught.value.message_dict) == [field]
    unchanged.check()
    return caught.value


# --- mentor_save -------------------------------------------------------------------------------------


def test_staff_create_a_mentor_profile(staff):
    user = UserFactory(mentor=True)
    mentor = mentor_save(
        actor=staff,
        user=user,
        name="김마이스터",
        expertise=["mes", "quality", "mes"],
        ksic_divisions=["10", "34"],
        regions=["경북", "경기"],
        capacity=3,
    )
    mentor.refresh_from_db()
    assert (mentor.user, mentor.name, mentor.capacity) == (user, "김마이스터", 3)
    assert mentor.expertise == ["mes", "quality"]  # duplicates dropped, order kept
    assert mentor.ksic_divisions == ["10", "34"]
    event = AuditEvent.objects.get(action="mentor.create")
    assert (event.object_id, event.after["name"], event.after["user"]) == (mentor.pk, "김마이스터", user.pk)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expertise", ["MES"]),  # the code is "mes"
        ("expertise", ["품질"]),  # a label, not a code
        ("expertise", "mes"),  # not a list
        ("ksic_divisions", ["09"]),
        ("ksic_divisions", ["35"]),
        ("ksic_divisions", ["9"]),
        ("ksic_divisions", ["29199"]),
        ("ksic_divisions", [29]),
        ("regions", ["Seoul"]),
        ("regions", ["경상북도"]),
    ],
)
def test_a_profile_with_an_unknown_code_is_refused(staff, field, value):
    error = refused(
        ValidationError, lambda: mentor_save(actor=staff, name="멘토", **{field: value}), field=field
    )
    assert error.message_dict[field][0]  # a Korean message on the field


def test_a_profile_breaking_a_model_rule_is_refused(staff):
    refused(ValidationError, lambda: mentor_save(actor=staff, name="멘토", capacity=0))
    sponsor, supplier = SponsorFactory(), SupplierFactory()
    refused(
        ValidationError, lambda: mentor_save(actor=staff, name="멘토", sponsor=sponsor, supplier=supplier)
    )
    refused(ValidationError, lambda: mentor_save(actor=staff, name=""), field="name")


def test_only_a_mentor_user_can_be_linked_to_a_profile(staff):
    evaluator = UserFactory(evaluator=True)
    refused(ValidationError, lambda: mentor_save(actor=staff, name="멘토", user=evaluator), field="user")
    taken = MentorFactory()
    refused(ValidationError, lambda: mentor_save(actor=staff, name="멘토", user=taken.user), field="user")


def test_only_staff_save_a_profile(mentor):
    for user in non_staff_users():
        refused(NotAllowed, lambda user=user: mentor_save(actor=user, name="멘토"))
        refused(NotAllowed, lambda user=user: mentor_save(actor=user, mentor=mentor, capacity=5))
    mentor.refresh_from_db()
    assert mentor.capacity == 2


def test_an_update_records_what_changed(staff, mentor):
    mentor_save(actor=staff, mentor=mentor, capacity=3, regions=["경기"])  # regions unchanged
    mentor.refresh_from_db()
    assert mentor.capacity == 3
    event = AuditEvent.objects.get(action="mentor.update")
    assert (event.before, event.after) == ({"capacity": 2}, {"capacity": 3})
    mentor_save(actor=staff, mentor=mentor, capacity=3)
    assert AuditEvent.objects.filter(action="mentor.update").count() == 1


# --- assignment_create -------------------------------------------------------------------------------


def test_staff_assign_a_mentor_and_the_mentor_and_the_sme_hear_of_it(
    staff, application, mentor, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(staff, application, mentor)
    assert (assignment.mentor, assignment.application, assignment.status) == (mentor, application, "active")
    assert assignment.assigned_by == staff
    event = AuditEvent.objects.get(action="mentoring.assign")
    assert event.object_id == application.pk
    assert event.after["mentor"] == mentor.pk
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([mentor.user.email, *(u.email for u in application.company.members.all())])
    assert all(mentor.name in message.body for message in mail.outbox)


def test_the_assignment_notice_links_the_mentor_and_the_sme_to_their_own_pages(staff, application, mentor):
    assignment = assign(staff, application, mentor)
    links = dict(Notification.objects.values_list("user_id", "url"))
    assert links[mentor.user.pk] == f"/mentor/assignments/{assignment.pk}/"
    for member in application.company.members.all():
        assert links[member.pk] == f"/my/applications/{application.pk}/"


def test_only_staff_assign_mentors(application, mentor):
    for user in [*non_staff_users(), mentor.user]:
        refused(NotAllowed, lambda user=user: assign(user, application, mentor))


@pytest.mark.parametrize("status", list(S.values))
def test_only_selected_agreed_or_building_applications_get_mentors(staff, mentor, status):
    application = ApplicationFactory(status=status)
    if status in (S.SELECTED, S.AGREEMENT, S.BUILDING):
        assert assign(staff, application, mentor).pk
    else:
        refused(Conflict, lambda: assign(staff, application, mentor), code="not_mentorable")


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "allowed"),
    [
        (MARCH_2, MARCH_2 + datetime.timedelta(days=28), True),  # exactly 4 weeks
        (MARCH_2, MARCH_2 + datetime.timedelta(days=27), False),
        (MARCH_2, datetime.date(2026, 9, 2), True),  # exactly 6 calendar months
        (MARCH_2, datetime.date(2026, 9, 3), False),
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28), True),  # 6 months from a month's end
        (datetime.date(2026, 8, 31), datetime.date(2027, 3, 1), False),
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29), True),  # into a leap February
        (MARCH_2, MARCH_2, False),
        (MARCH_2, MARCH_2 - datetime.timedelta(days=30), False),
    ],
)
def test_an_assignment_lasts_4_weeks_to_6_months(staff, application, mentor, starts_on, ends_on, allowed):
    if allowed:
        assert assign(staff, application, mentor, starts_on, ends_on).ends_on == ends_on
    else:
        error = refused(
            ValidationError, lambda: assign(staff, application, mentor, starts_on, ends_on), field="ends_on"
        )
        assert "4주" in error.message_dict["ends_on"][0]
        assert "6개월" in error.message_dict["ends_on"][0]


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 7, 15), 6) == datetime.date(2027, 1, 15)
    assert add_months(datetime.date(2026, 12, 1), 6) == datetime.date(2027, 6, 1)


def test_an_application_has_at_most_three_mentors(staff, application):
    MentoringAssignmentFactory(application=application, status="ended")  # does not count
    for _ in range(2):
        assign(staff, application, MentorFactory())
    assert assign(staff, application, MentorFactory()).pk  # the third
    fourth = MentorFactory()
    refused(Conflict, lambda: assign(staff, application, fourth), code="too_many_mentors")


def test_a_mentor_is_never_over_capacity(staff, application):
    mentor = MentorFactory(capacity=2)
    MentoringAssignmentFactory(mentor=mentor)
    MentoringAssignmentFactory(mentor=mentor, status="cancelled")  # does not count
    assert assign(staff, application, mentor).pk  # 2/2
    other = ApplicationFactory(selected=True)
    error = refused(Conflict, lambda: assign(staff, other, mentor), code="mentor_at_capacity")
    assert mentor.name in str(error.message)


def test_an_inactive_mentor_is_not_assigned(staff, application):
    mentor = MentorFactory(is_active=False)
    refused(Conflict, lambda: assign(staff, application, mentor), code="mentor_inactive")


def test_a_mentor_of_the_applications_supplier_is_never_assigned(staff, application):
    own = MentorFactory(supplier=application.supplier)
    refused(Conflict, lambda: assign(staff, application, own), code="supplier_conflict")
    assert assign(staff, application, MentorFactory(supplier=SupplierFactory())).pk
    without_supplier = ApplicationFactory(selected=True, supplier=None)
    assert assign(staff, without_supplier, own).pk


def test_a_mentor_is_assigned_to_an_application_once_at_a_time(staff, application, mentor):
    first = assign(staff, application, mentor)
    refused(ValidationError, lambda: assign(staff, application, mentor), field="mentor")
    assignment_end(actor=staff, assignment=first)
    assert assign(staff, application, mentor).pk  # again, after the first ended


# --- assignment_end ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action"), [("ended", "mentoring.end"), ("cancelled", "mentoring.cancel")]
)
def test_staff_end_or_cancel_an_assignment(staff, status, action):
    assignment = MentoringAssignmentFactory()
    assignment_end(actor=staff, assignment=assignment, status=status)
    assignment.refresh_from_db()
    assert assignment.status == status
    event = AuditEvent.objects.get(action=action)
    assert (event.object_id, event.after["status"]) == (assignment.application_id, status)


def test_ending_is_refused_to_others_twice_and_to_unknown_statuses(staff):
    assignment = MentoringAssignmentFactory()
    for user in [*non_staff_users(), assignment.mentor.user]:
        refused(NotAllowed, lambda user=user: assignment_end(actor=user, assignment=assignment))
    refused(
        ValidationError,
        lambda: assignment_end(actor=staff, assignment=assignment, status="active"),
        field="status",
    )
    assignment_end(actor=staff, assignment=assignment)
    refused(
        Conflict, lambda: assignment_end(actor=staff, assignment=assignment), code="assignment_not_active"
    )


# --- session_log -------------------------------------------------------------------------------------


@pytest.fixture
def current():
    """An active assignment that started 30 days ago and ends in 30 days."""
    today = timezone.localdate()
    return MentoringAssignmentFactory(
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=30)
    )


def log(actor, assignment, **overrides):
    fields = {"held_on": timezone.localdate(), "hours": Decimal("2"), "mode": "visit", "notes": " 공정 진단 "}
    fields.update(overrides)
    return session_log(actor=actor, assignment=assignment, **fields)


def test_the_mentor_logs_a_session_of_its_assignment(current):
    session = log(current.mentor.user, current)
    session.refresh_from_db()
    assert (session.hours, session.mode, session.notes) == (Decimal("2.0"), "visit", "공정 진단")
    assert session.logged_by == current.mentor.user
    event = AuditEvent.objects.get(action="mentoring.session")
    assert (event.object_id, event.after["session"], event.after["hours"]) == (
        current.application_id,
        session.pk,
        "2.0",
    )


def test_staff_log_a_session_for_a_mentor(staff, current):
    assert log(staff, current, mode="online").logged_by == staff


def test_no_one_else_logs_a_session(current):
    owner = UserFactory(applicant=True, company=current.application.company)
    for user in [*non_staff_users(), owner, MentorFactory().user]:
        refused(NotAllowed, lambda user=user: log(user, current))
    current.mentor.user.is_active = False
    current.mentor.user.save()
    refused(NotAllowed, lambda: log(current.mentor.user, current))


@pytest.mark.parametrize("status", ["ended", "cancelled"])
def test_a_session_needs_an_active_assignment(current, status):
    MentoringAssignment.objects.filter(pk=current.pk).update(status=status)
    refused(Conflict, lambda: log(current.mentor.user, current), code="assignment_not_active")


@pytest.mark.parametrize("hours", ["0.5", "1", "1.5", "11.5", "12", 3, 2.5])
def test_session_hours_within_half_an_hour_and_twelve(current, hours):
    assert log(current.mentor.user, current, hours=hours).hours == Decimal(str(hours))


@pytest.mark.parametrize("hours", ["0", "0.4", "0.25", "1.25", "12.5", "13", "-1", "abc", "NaN", None])
def test_session_hours_outside_the_rule_are_refused(current, hours):
    error = refused(ValidationError, lambda: log(current.mentor.user, current, hours=hours), field="hours")
    assert "0.5" in error.message_dict["hours"][0]


def test_a_session_falls_within_the_assignment_and_not_in_the_future():
    today = timezone.localdate()
    assignment = MentoringAssignmentFactory(starts_on=today - datetime.timedelta(days=60), ends_on=today)
    user = assignment.mentor.user
    assert log(user, assignment, held_on=assignment.starts_on).pk
    assert log(user, assignment, held_on=today).pk  # the last day, today
    for held_on in (assignment.starts_on - datetime.timedelta(days=1), today + datetime.timedelta(days=1)):
        refused(
            ValidationError, lambda held_on=held_on: log(user, assignment, held_on=held_on), field="held_on"
        )


def test_a_session_in_the_future_is_refused_even_within_the_assignment(current):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    error = refused(
        ValidationError, lambda: log(current.mentor.user, current, held_on=tomorrow), field="held_on"
    )
    assert "앞으로" in error.message_dict["held_on"][0]


def test_a_session_mode_is_visit_or_online(current):
    refused(ValidationError, lambda: log(current.mentor.user, current, mode="phone"), field="mode")
