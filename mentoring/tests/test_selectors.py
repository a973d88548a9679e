"""Mentoring reads: a user's mentor profile and the staff overview (what it shows, in five queries)."""

import datetime
from decimal import Decimal

import pytest

from mentoring.models import MentoringSession
from mentoring.selectors import mentor_for_user, mentoring_overview
from tests.factories import (
    ApplicationFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def test_mentor_for_user_is_the_signed_in_mentors_own_profile():
    mentor = MentorFactory()
    assert mentor_for_user(mentor.user) == mentor
    assert mentor_for_user(UserFactory(mentor=True)) is None  # no profile yet
    assert mentor_for_user(UserFactory()) is None
    mentor.user.is_active = False
    assert mentor_for_user(mentor.user) is None


def assignment(ends_in_days, **fields):
    return MentoringAssignmentFactory(
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY + datetime.timedelta(days=ends_in_days),
        **fields,
    )


def test_the_overview_shows_loads_endings_waiting_applications_and_hours():
    busy = MentorFactory(name="가멘토", capacity=2)
    idle = MentorFactory(name="나멘토")
    resting = MentorFactory(name="가휴면", is_active=False)
    soon = assignment(14, mentor=busy)
    overdue = assignment(-1, mentor=busy)
    later = assignment(15)
    assignment(3, status="ended")
    program = ProgramFactory(title="A 사업")
    waiting = ApplicationFactory(selected=True, program=program, wants_mentoring=True)
    ApplicationFactory(status="building", program=program, wants_mentoring=False)
    ApplicationFactory(status="evaluation", wants_mentoring=True)  # too early
    served = ApplicationFactory(status="agreement", program=program, wants_mentoring=True)
    MentoringAssignmentFactory(
        application=served, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=90)
    )
    for hours in ("1.5", "2"):
        MentoringSession.objects.create(assignment=later, held_on=TODAY, hours=Decimal(hours))

    overview = mentoring_overview(user=UserFactory(), today=TODAY)

    loads = [(row["mentor"], row["active"], row["capacity"]) for row in overview["loads"]]
    assert loads[:2] == [(busy, 2, 2), (idle, 0, 2)]
    assert loads[-1] == (resting, 0, 2)  # inactive mentors last
    assert overview["ending_soon"] == [overdue, soon]
    assert overview["waiting"] == [waiting]
    (row,) = [r for r in overview["hours_by_program"] if r["id"] == later.application.program_id]
    assert (row["label"], row["hours"], row["sessions"]) == (
        later.application.program.title,
        Decimal("3.5"),
        2,
    )
    (row,) = overview["hours_by_sponsor"]
    assert (row["id"], row["label"], row["hours"]) == (
        later.application.program.sponsor_id,
        later.application.program.sponsor.name,
        Decimal("3.5"),
    )


@pytest.mark.parametrize("size", [2, 20])
def test_the_overview_takes_five_queries_however_much_there_is(size, django_assert_num_queries):
    for i in range(size):
        a = assignment(i - 5)
        MentoringSession.objects.create(assignment=a, held_on=TODAY, hours=1)
        ApplicationFactory(selected=True, wants_mentoring=True)
    staff = UserFactory()
    with django_assert_num_queries(5):
        overview = mentoring_overview(user=staff, today=TODAY)
        shown = [(row["mentor"].sponsor, row["mentor"].user) for row in overview["loads"]]
        shown += [(a.mentor.name, a.application.company.name) for a in overview["ending_soon"]]
        shown += [(a.company.name, a.program.title) for a in overview["waiting"]]
    assert shown
    assert len(overview["loads"]) == size
