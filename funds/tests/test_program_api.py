"""funds' actions under other apps' API paths (config/api_urls.py): `programs/{id}/ranking/`,
`programs/{id}/fund/`, `applications/{id}/disbursements/` — their URL names, and the queries each
runs whatever the program's size (what each answers is asserted in test_ranking and test_money_api)."""

import datetime

import pytest
from django.urls import reverse

from applicants.models import Application
from applicants.services import application_transition
from funds.services import disbursement_record
from program.models import Program
from tests.factories import ApplicationFactory, ProgramFactory, api_client, deposit_sme_share, fund_program

pytestmark = pytest.mark.django_db


def selected(staff, program, *, payments: int = 0) -> Application:
    application = ApplicationFactory(program=program, total_cost=100_000_000, evaluation=True)
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for it (SPEC §18.2)
    for day in range(1, payments + 1):
        disbursement_record(
            actor=staff,
            application=application,
            amount=1_000_000,
            kind="advance",
            paid_on=datetime.date(2026, 3, day),
        )
    return application


def funded(staff, *, applications: int) -> Program:
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    for _i in range(applications):
        selected(staff, program, payments=1)
    return program


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("program-ranking", "/api/v1/programs/7/ranking/"),
        ("program-fund", "/api/v1/programs/7/fund/"),
        ("application-disbursements", "/api/v1/applications/7/disbursements/"),
    ],
)
def test_the_actions_keep_the_names_the_router_gave_them(name, path):
    assert reverse(name, kwargs={"pk": 7}) == path


@pytest.mark.parametrize("applications", [1, 10])
def test_the_fund_runs_a_constant_number_of_queries(staff, applications, django_assert_num_queries):
    program = funded(staff, applications=applications)
    client = api_client(staff)  # authentication forced: no session or token query
    with django_assert_num_queries(2):  # the program, the pot totals
        response = client.get(reverse("program-fund", kwargs={"pk": program.pk}))
    assert response.status_code == 200
    assert response.json()["government"]["disbursed"] == applications * 500_000


@pytest.mark.parametrize("payments", [1, 10])
def test_the_disbursements_run_a_constant_number_of_queries(staff, payments, django_assert_num_queries):
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    application = selected(staff, program, payments=payments)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the application in the user's scope, its payments
        response = client.get(reverse("application-disbursements", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert len(response.json()) == payments
