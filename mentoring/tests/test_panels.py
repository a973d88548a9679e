"""The mentors panel of the staff application page (mentoring/panels.py): alone, and re-drawn in place
by htmx when an assignment is refused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import Role
from applicants.models import Application
from mentoring.models import MentoringAssignment
from tests.factories import ApplicationFactory, MentorFactory, MentoringAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Application.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def application():
    return ApplicationFactory(
        status=S.SELECTED, wants_mentoring=True, company__region="경북", company__industry_code="29199"
    )


@pytest.fixture
def mentor():
    return MentorFactory(
        user=UserFactory(role=Role.MENTOR), name="박멘토", regions=["경북"], ksic_divisions=["29"]
    )


def assign(client, application, mentor, *, days, **headers):
    today = timezone.localdate()
    return client.post(
        f"/staff/applications/{application.pk}/mentors/",
        {"mentor": mentor.pk, "starts_on": today, "ends_on": today + datetime.timedelta(days=days)},
        **headers,
    )


def test_the_panel_alone_shows_the_suggestions(client, staff, application, mentor):
    client.force_login(staff)
    response = client.get(f"/staff/applications/{application.pk}/panels/mentors/")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="panel-mentors" class="panel">')
    assert '<section class="card" id="mentoring">' in body and "박멘토" in body and "<html" not in body
    assert 'hx-target="#panel-mentors"' in body


def test_a_refused_assignment_answers_htmx_with_the_panel_and_its_error(client, staff, application, mentor):
    client.force_login(staff)
    response = assign(client, application, mentor, days=10, **HTMX)
    body = response.content.decode()
    assert response.status_code == 400
    assert body.startswith('<div id="panel-mentors" class="panel">') and "<html" not in body
    assert 'class="field-error" role="alert"' in body
    assert not list(get_messages(response.wsgi_request))  # said in the panel, not left for the next page
    assert not MentoringAssignment.objects.exists()


def test_without_javascript_the_refusal_is_the_page_and_its_message(client, staff, application, mentor):
    client.force_login(staff)
    response = assign(client, application, mentor, days=10)
    body = response.content.decode()
    assert response.status_code == 400 and "<html" in body and 'class="messages' in body
    assert 'class="field-error" role="alert"' not in body


def test_an_assignment_sends_htmx_to_the_page_at_its_anchor(client, staff, application, mentor):
    client.force_login(staff)
    response = assign(client, application, mentor, days=84, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/staff/applications/{application.pk}/#mentoring"
    assert response["HX-Refresh"] == "true"  # only the anchor differs: the page must load again
    assert MentoringAssignment.objects.get().mentor == mentor


def test_the_panel_runs_a_constant_number_of_queries(client, staff, application, django_assert_num_queries):
    client.force_login(staff)
    url = f"/staff/applications/{application.pk}/panels/mentors/"

    def add(n):
        for _ in range(n):
            MentorFactory(regions=["경북"], ksic_divisions=["29"])
            MentoringAssignmentFactory(application=application)

    add(2)
    client.get(url)  # warm the session and content-type caches
    # session, user, the application, its mentors; the suggestions' three (the application, the pool
    # scored, the best loaded)
    with django_assert_num_queries(7):
        client.get(url)
    add(10)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["mentoring"]) == 12
