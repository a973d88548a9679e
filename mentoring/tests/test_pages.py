"""Mentoring pages: staff assign from the suggestions, the mentor's portal and session log, the SME's view,
the staff overview and the mentor pool."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from applicants.models import Application
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from tests.factories import (
    ApplicationFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def application():
    application = ApplicationFactory(status=S.SELECTED, wants_mentoring=True)
    company = application.company
    company.region, company.industry_code = "경북", "29199"
    company.save()
    return application


@pytest.fixture
def mentor():
    user = UserFactory(role=Role.MENTOR)
    return MentorFactory(
        user=user, name="박멘토", regions=["경북"], ksic_divisions=["29"], expertise=["mes"], capacity=2
    )


def test_staff_see_suggestions_with_reasons_and_assign_in_one_click(client, staff, application, mentor):
    client.force_login(staff)
    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "박멘토" in page and "경북" in page
    today = timezone.localdate()
    response = client.post(
        f"/staff/applications/{application.pk}/mentors/",
        {"mentor": mentor.pk, "starts_on": today, "ends_on": today + datetime.timedelta(weeks=12)},
    )
    assert response.status_code == 302
    assignment = MentoringAssignment.objects.get()
    assert (assignment.mentor, assignment.application) == (mentor, application)


def test_a_broken_rule_comes_back_on_the_page_and_changes_nothing(client, staff, application, mentor):
    client.force_login(staff)
    today = timezone.localdate()
    response = client.post(
        f"/staff/applications/{application.pk}/mentors/",
        {"mentor": mentor.pk, "starts_on": today, "ends_on": today + datetime.timedelta(days=10)},
    )
    assert response.status_code == 400
    assert not MentoringAssignment.objects.exists()


def test_the_mentor_logs_a_session_and_the_sme_sees_it(client, staff, application, mentor):
    today = timezone.localdate()
    assignment = MentoringAssignment.objects.create(
        mentor=mentor, application=application, starts_on=today, ends_on=today + datetime.timedelta(weeks=8)
    )
    other = MentorFactory(user=UserFactory(role=Role.MENTOR))
    client.force_login(other.user)
    assert client.get(f"/mentor/assignments/{assignment.pk}/").status_code == 404
    client.force_login(mentor.user)
    page = client.get("/mentor/").content.decode()
    assert application.company.name in page
    page = client.get(f"/mentor/assignments/{assignment.pk}/").content.decode()
    assert application.plan[:20] in page
    bad = client.post(
        f"/mentor/assignments/{assignment.pk}/",
        {"held_on": today, "hours": "13", "mode": "visit", "notes": "너무 긺"},
    )
    assert bad.status_code == 400 and not MentoringSession.objects.exists()
    response = client.post(
        f"/mentor/assignments/{assignment.pk}/",
        {"held_on": today, "hours": "2.5", "mode": "visit", "notes": "MES 도입 일정 <b>점검</b>"},
    )
    assert response.status_code == 302
    owner = UserFactory(role=Role.APPLICANT, company=application.company)
    client.force_login(owner)
    page = client.get(f"/my/applications/{application.pk}/").content.decode()
    assert "박멘토" in page and "MES 도입 일정 &lt;b&gt;점검&lt;/b&gt;" in page


def test_staff_overview_and_the_mentor_pool(client, staff, application, mentor):
    client.force_login(staff)
    page = client.get("/staff/mentors/").content.decode()
    assert "박멘토" in page and application.company.name in page  # wants mentoring, has none
    response = client.post(
        "/staff/mentors/new/",
        {
            "name": "최전문",
            "expertise": ["quality", "safety"],
            "regions": ["충북"],
            "ksic_divisions": "20, 21",
            "capacity": "3",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Mentor.objects.get(name="최전문")
    assert (created.expertise, created.regions, created.ksic_divisions) == (
        ["quality", "safety"],
        ["충북"],
        ["20", "21"],
    )


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "staff"])
def test_the_mentor_portal_is_404_to_other_roles(client, role):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get("/mentor/").status_code == 404


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_staff_mentoring_pages_are_404_to_other_roles(client, role, application, mentor):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get("/staff/mentors/").status_code == 404
    assert client.get(f"/staff/mentors/{mentor.pk}/").status_code == 404
    today = timezone.localdate()
    response = client.post(
        f"/staff/applications/{application.pk}/mentors/",
        {"mentor": mentor.pk, "starts_on": today, "ends_on": today + datetime.timedelta(weeks=12)},
    )
    assert response.status_code == 404 and not MentoringAssignment.objects.exists()


def test_the_portal_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    mentor = MentorFactory(capacity=20)

    def add(n):
        for assignment in MentoringAssignmentFactory.create_batch(n, mentor=mentor):
            for day in (2, 9):
                MentoringSession.objects.create(
                    assignment=assignment, held_on=datetime.date(2026, 3, day), hours=2, logged_by=mentor.user
                )

    add(2)
    client.force_login(mentor.user)
    client.get("/mentor/")  # warm the session
    # session, user, the mentor, the assignments (application, company and program joined in)
    with django_assert_num_queries(5):
        client.get("/mentor/")
    add(10)
    with django_assert_num_queries(5):
        response = client.get("/mentor/")
    assert len(response.context["assignments"]) == 12
