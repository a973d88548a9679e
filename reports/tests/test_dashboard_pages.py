"""`/sponsor/`: a sponsor's dashboard page (reports/dashboard_views.py)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from tests.factories import ApplicationFactory, ProgramFactory, SponsorFactory, UserFactory, fund_program

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def selected(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(
        program=program, status=S.EVALUATION, total_cost=100_000_000, level="basic"
    )
    return application_transition(application=application, action="select", actor=staff)


def test_a_sponsor_sees_its_own_dashboard_and_no_other(client, selected):
    sponsor = selected.program.sponsor
    other = SponsorFactory()
    user = UserFactory(sponsor_user=True, sponsor=sponsor)
    client.force_login(user)
    page = client.get("/sponsor/").content.decode()
    assert sponsor.name in page and 'id="dashboard-data"' in page and "chart.umd.min.js" in page
    assert client.get(f"/sponsor/{sponsor.pk}/").status_code == 200
    assert client.get(f"/sponsor/{other.pk}/").status_code == 404
    assert client.get("/sponsor/999999/").status_code == 404


def test_staff_see_any_sponsor_and_others_see_none(client, staff, selected):
    sponsor = selected.program.sponsor
    client.force_login(staff)
    assert sponsor.name in client.get("/sponsor/").content.decode()
    assert client.get(f"/sponsor/{sponsor.pk}/").status_code == 200
    for user in (
        UserFactory(applicant=True),
        UserFactory(role=Role.EVALUATOR),
        UserFactory(role=Role.MENTOR),
    ):
        client.force_login(user)
        assert client.get("/sponsor/").status_code == 404
        assert client.get(f"/sponsor/{sponsor.pk}/").status_code == 404
    client.logout()
    assert client.get("/sponsor/")["Location"].startswith("/accounts/login/")


def test_the_dashboard_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, staff):
    program = ProgramFactory()
    fund_program(program, sponsor=10_000_000_000, government=10_000_000_000)
    user = UserFactory(sponsor_user=True, sponsor=program.sponsor)

    def add(n):
        for _ in range(n):
            application = ApplicationFactory(program=program, status=S.EVALUATION, total_cost=50_000_000)
            application_transition(application=application, action="select", actor=staff)

    add(2)
    client.force_login(user)
    client.get("/sponsor/")  # warm the session and content-type caches
    # 10 for the figures, 3 for the supported projects' page: the count, the rows, their mentors
    with django_assert_num_queries(14) as small:
        client.get("/sponsor/")
    add(18)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/sponsor/")


def test_the_pages_are_named_in_reports():
    assert reverse("reports:sponsor-home") == "/sponsor/"
    assert reverse("reports:sponsor-dashboard", args=[7]) == "/sponsor/7/"


def test_the_navigation_leads_staff_and_sponsors_to_the_dashboard(client, staff):
    for user in (staff, UserFactory(sponsor_user=True)):
        client.force_login(user)
        assert 'href="/sponsor/"' in client.get("/reports/").content.decode()
