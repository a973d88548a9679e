"""`sponsors/{id}/dashboard/`, served by reports (reports/dashboard_api.py) under the sponsors' path:
its URL name and a query count that does not grow with the sponsor (what it answers to each role is
asserted in funds/tests/test_money_api.py)."""

import pytest
from django.urls import reverse

from applicants.services import application_transition
from tests.factories import (
    ApplicationFactory,
    ContributionFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    api_client,
    fund_program,
)

pytestmark = pytest.mark.django_db


def sponsor_with_projects(staff, projects: int):
    sponsor = SponsorFactory()
    program = ProgramFactory(sponsor=sponsor)
    ContributionFactory(program=program)
    fund_program(program, sponsor=10**10, government=10**10)
    for _i in range(projects):
        application = ApplicationFactory(program=program, total_cost=100_000_000, evaluation=True)
        application_transition(application=application, action="select", actor=staff)
    return sponsor


def test_the_dashboard_keeps_the_name_the_router_gave_it():
    assert reverse("sponsor-dashboard", kwargs={"pk": 7}) == "/api/v1/sponsors/7/dashboard/"


@pytest.mark.parametrize("projects", [1, 10])
def test_the_dashboard_runs_a_constant_number_of_queries(staff, projects, django_assert_num_queries):
    sponsor = sponsor_with_projects(staff, projects)
    client = api_client(UserFactory(role="sponsor", sponsor=sponsor))  # no session or token query
    with django_assert_num_queries(8):  # the sponsor in the user's scope, then the dashboard's seven
        response = client.get(reverse("sponsor-dashboard", kwargs={"pk": sponsor.pk}))
    assert response.status_code == 200
    assert response.json()["projects_supported"] == projects
