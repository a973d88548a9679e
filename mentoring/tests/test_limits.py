"""A mentoring session's notes and a mentor's career have a length limit (issue 13 item 11), kept by the
model and session_log so the API and the pages answer alike."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring.models import Mentor, MentoringSession
from tests.factories import MentoringAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    today = timezone.localdate()
    return MentoringAssignmentFactory(
        starts_on=today - datetime.timedelta(days=7), ends_on=today + datetime.timedelta(weeks=8)
    )


def session(assignment, notes) -> dict:
    return {"held_on": timezone.localdate().isoformat(), "hours": "2.0", "mode": "visit", "notes": notes}


def test_session_notes_past_4000_characters_are_refused_by_the_api_and_the_page(assignment, client):
    too_long = "멘" * (MentoringSession.NOTES_MAX_LENGTH + 1)
    api = APIClient()
    api.force_authenticate(assignment.mentor.user)

    response = api.post(
        "/api/v1/mentoring-sessions/",
        {"assignment": assignment.pk, **session(assignment, too_long)},
        format="json",
    )
    assert response.status_code == 400 and "notes" in response.json()

    client.force_login(assignment.mentor.user)
    page = client.post(f"/mentor/assignments/{assignment.pk}/", session(assignment, too_long))
    assert page.status_code == 400 and "notes" in page.context["form"].errors
    assert not MentoringSession.objects.exists()

    page = client.post(f"/mentor/assignments/{assignment.pk}/", session(assignment, too_long[:-1]))
    assert page.status_code == 302


def test_a_mentor_career_past_2000_characters_is_refused(staff, client):
    client.force_login(staff)

    response = client.post(
        "/staff/mentors/new/", {"name": "최전문", "capacity": "2", "is_active": "on", "bio": "경" * 2_001}
    )

    assert response.status_code == 400 and "bio" in response.context["form"].errors
    assert not Mentor.objects.filter(name="최전문").exists()
