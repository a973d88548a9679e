"""Mentoring by agency (docs/domain.md §1, §7): staff see and make their agency's assignments and
sessions, staff of another agency get 404, the ministry reads everything and changes nothing (403).
Mentors are a register every agency shares."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from mentoring.selectors import mentoring_overview
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_b():
    return UserFactory(agency=AgencyFactory(name="중소기업중앙회"))


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


@pytest.fixture
def ours():
    """An active assignment on an application of a program of the default agency (staff's)."""
    today = timezone.localdate()
    return MentoringAssignmentFactory(
        application=ApplicationFactory(selected=True),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=5),
    )


@pytest.fixture
def theirs(staff_b):
    today = timezone.localdate()
    return MentoringAssignmentFactory(
        application=ApplicationFactory(selected=True, program=ProgramFactory(agency=staff_b.agency)),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=5),
    )


def period():
    today = timezone.localdate()
    return {"starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=60)).isoformat()}


def listed(user, url):
    return {row["id"] for row in api_client(user).get(url).json()["results"]}


def test_assignments_and_sessions_are_listed_by_agency(staff, staff_b, ministry, ours, theirs):
    session = MentoringSession.objects.create(assignment=ours, held_on=ours.starts_on, hours=2)
    assert listed(staff, "/api/v1/mentoring-assignments/") == {ours.pk}
    assert listed(staff_b, "/api/v1/mentoring-assignments/") == {theirs.pk}
    assert listed(ministry, "/api/v1/mentoring-assignments/") == {ours.pk, theirs.pk}
    assert listed(staff_b, "/api/v1/mentoring-sessions/") == set()
    assert listed(ministry, "/api/v1/mentoring-sessions/") == {session.pk}
    assert api_client(staff_b).get(f"/api/v1/mentoring-assignments/{ours.pk}/").status_code == 404
    assert api_client(staff_b).get(f"/api/v1/mentoring-sessions/{session.pk}/").status_code == 404


def test_mentors_are_shared_by_every_agency(staff, staff_b, ministry, ours, theirs):
    everyone = {ours.mentor_id, theirs.mentor_id}
    for user in (staff, staff_b, ministry):
        assert listed(user, "/api/v1/mentors/") == everyone


def test_only_staff_of_the_agency_end_an_assignment(staff, staff_b, ministry, ours):
    url = f"/api/v1/mentoring-assignments/{ours.pk}/end/"
    assert api_client(staff_b).post(url, {}, format="json").status_code == 404
    assert api_client(ministry).post(url, {}, format="json").status_code == 403
    assert MentoringAssignment.objects.get(pk=ours.pk).status == "active"
    assert api_client(staff).post(url, {}, format="json").status_code == 200


def test_only_staff_of_the_agency_log_a_session(staff, staff_b, ministry, ours):
    body = {"assignment": ours.pk, "held_on": ours.starts_on.isoformat(), "hours": "2", "mode": "visit"}
    assert api_client(staff_b).post("/api/v1/mentoring-sessions/", body, format="json").status_code == 404
    assert api_client(ministry).post("/api/v1/mentoring-sessions/", body, format="json").status_code == 403
    assert not MentoringSession.objects.exists()
    assert api_client(staff).post("/api/v1/mentoring-sessions/", body, format="json").status_code == 201


def test_another_agencys_application_is_refused_as_unknown_in_an_assignment(staff, staff_b, ministry):
    application = ApplicationFactory(selected=True)
    body = {"mentor": MentorFactory().pk, "application": application.pk, **period()}
    response = api_client(staff_b).post("/api/v1/mentoring-assignments/", body, format="json")
    assert response.status_code == 400 and "application" in response.json()
    assert api_client(ministry).post("/api/v1/mentoring-assignments/", body, format="json").status_code == 403
    assert not MentoringAssignment.objects.exists()
    assert api_client(staff).post("/api/v1/mentoring-assignments/", body, format="json").status_code == 201


def test_the_assign_page_and_panel_are_its_agencys(client, staff, staff_b, ministry):
    application = ApplicationFactory(selected=True)
    mentor = MentorFactory()
    url = f"/staff/applications/{application.pk}/mentors/"
    data = {"mentor": mentor.pk, **period()}
    for user, status in ((staff_b, 404), (ministry, 403)):
        client.force_login(user)
        assert client.post(url, data).status_code == status
    assert not MentoringAssignment.objects.exists()
    panel = f"/staff/applications/{application.pk}/panels/mentors/"
    client.force_login(staff_b)
    assert client.get(panel).status_code == 404
    client.force_login(ministry)
    response = client.get(panel)
    assert response.status_code == 200 and mentor.name in response.content.decode()
    assert url not in response.content.decode()  # no assign button
    client.force_login(staff)
    assert url in client.get(panel).content.decode()
    assert client.post(url, data).status_code == 302
    assert MentoringAssignment.objects.filter(application=application).count() == 1


def test_the_suggestions_are_read_in_scope(staff, staff_b, ministry):
    application = ApplicationFactory(selected=True)
    url = f"/api/v1/mentors/suggestions/?application={application.pk}"
    assert api_client(staff_b).get(url).status_code == 404
    assert api_client(ministry).get(url).status_code == 200
    assert api_client(staff).get(url).status_code == 200


def test_the_mentor_pool_is_kept_by_staff_only(client, staff, ministry):
    mentor = MentorFactory(name="박멘토")
    client.force_login(ministry)
    assert client.get(f"/staff/mentors/{mentor.pk}/").status_code == 200
    response = client.post("/staff/mentors/new/", {"name": "최전문", "capacity": "3", "is_active": "on"})
    assert response.status_code == 403
    assert not Mentor.objects.filter(name="최전문").exists()


def test_the_overview_keeps_to_the_agency_but_lists_every_mentor(staff, staff_b, ministry, ours, theirs):
    MentoringSession.objects.create(assignment=theirs, held_on=theirs.starts_on, hours=Decimal("3"))
    waiting_b = ApplicationFactory(selected=True, wants_mentoring=True, program=theirs.application.program)
    mine = mentoring_overview(user=staff)
    assert {row["mentor"] for row in mine["loads"]} == {ours.mentor, theirs.mentor}
    assert {row["mentor"]: row["active"] for row in mine["loads"]} == {ours.mentor: 1, theirs.mentor: 0}
    assert mine["ending_soon"] == [ours]
    assert mine["waiting"] == [] and mine["hours_by_program"] == [] and mine["hours_by_sponsor"] == []
    b = mentoring_overview(user=staff_b)
    assert b["ending_soon"] == [theirs] and b["waiting"] == [waiting_b]
    assert [row["hours"] for row in b["hours_by_program"]] == [Decimal("3")]
    everything = mentoring_overview(user=ministry)
    assert set(everything["ending_soon"]) == {ours, theirs}
    assert {row["mentor"]: row["active"] for row in everything["loads"]} == {ours.mentor: 1, theirs.mentor: 1}


def test_the_overview_page_is_the_users_agencys(client, staff_b, ministry, ours):
    client.force_login(staff_b)
    page = client.get("/staff/mentors/").content.decode()
    assert ours.mentor.name in page and ours.application.company.name not in page
    client.force_login(ministry)
    page = client.get("/staff/mentors/").content.decode()
    assert ours.application.company.name in page
