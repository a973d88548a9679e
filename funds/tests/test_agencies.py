"""Money by agency (docs/domain.md §1): staff of the program's agency see and record, staff of another
agency get 404, the ministry reads every agency's and records nothing (403)."""

import pytest

from applicants.models import Application
from applicants.services import application_transition
from funds.models import Contribution, Disbursement
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ContributionFactory,
    ProgramFactory,
    UserFactory,
    api_client,
    deposit_sme_share,
    fund_program,
)

pytestmark = pytest.mark.django_db
S = Application.Status
CONTRIBUTION = {"amount": "50,000,000", "kind": "cash", "purpose": "build", "received_on": "2026-03-02"}
PAYMENT = {"amount": 10_000_000, "kind": "advance", "paid_on": "2026-04-01"}


@pytest.fixture
def staff_b():
    return UserFactory(agency=AgencyFactory(name="중소기업중앙회"))


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


@pytest.fixture
def selected(staff):
    """A selected application of a program of staff's agency, with money in both pots."""
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(program=program, status=S.EVALUATION, total_cost=100_000_000)
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_fund_page_is_its_agencys(client, staff, staff_b, ministry, selected):
    url = f"/staff/programs/{selected.program_id}/fund/"
    page = get(client, staff, url).content.decode()
    assert "출연금 기록" in page
    assert get(client, staff_b, url).status_code == 404
    response = get(client, ministry, url)
    assert response.status_code == 200 and "출연금 기록" not in response.content.decode()


def test_only_staff_of_the_agency_record_a_contribution(client, staff, staff_b, ministry, selected):
    url = f"/staff/programs/{selected.program_id}/fund/"
    for user, status in ((staff_b, 404), (ministry, 403)):
        client.force_login(user)
        assert client.post(url, CONTRIBUTION).status_code == status
    assert not Contribution.objects.exists()
    client.force_login(staff)
    assert client.post(url, CONTRIBUTION).status_code == 302
    assert Contribution.objects.count() == 1


def test_the_ranking_page_and_api_are_its_agencys(client, staff, staff_b, ministry, selected):
    program = selected.program
    page, api = f"/staff/programs/{program.pk}/ranking/", f"/api/v1/programs/{program.pk}/ranking/"
    for user, status in ((staff, 200), (staff_b, 404), (ministry, 200)):
        assert get(client, user, page).status_code == status
        assert api_client(user).get(api).status_code == status


def test_the_fund_api_is_its_agencys(staff, staff_b, ministry, selected):
    url = f"/api/v1/programs/{selected.program_id}/fund/"
    for user, status in ((staff, 200), (staff_b, 404), (ministry, 200)):
        assert api_client(user).get(url).status_code == status


def test_contributions_are_listed_by_agency(staff, staff_b, ministry):
    ours = ContributionFactory()
    theirs = ContributionFactory(program=ProgramFactory(agency=staff_b.agency))

    def listed(user):
        return {row["id"] for row in api_client(user).get("/api/v1/contributions/").json()["results"]}

    assert listed(staff) == {ours.pk}
    assert listed(staff_b) == {theirs.pk}
    assert listed(ministry) == {ours.pk, theirs.pk}


def test_another_agencys_program_is_refused_as_unknown_in_a_contribution(staff, staff_b, ministry):
    program = ProgramFactory()
    body = {"program": program.pk, "amount": 50_000_000, "received_on": "2026-03-02"}
    response = api_client(staff_b).post("/api/v1/contributions/", body, format="json")
    assert response.status_code == 400 and "program" in response.json()
    assert api_client(ministry).post("/api/v1/contributions/", body, format="json").status_code == 403
    assert not Contribution.objects.exists()
    assert api_client(staff).post("/api/v1/contributions/", body, format="json").status_code == 201


def test_payments_are_its_agencys(client, staff, staff_b, ministry, selected):
    panel = f"/staff/applications/{selected.pk}/panels/payments/"
    assert "지급 기록" in get(client, staff, panel).content.decode()
    assert get(client, staff_b, panel).status_code == 404
    response = get(client, ministry, panel)
    assert response.status_code == 200 and "지급 기록" not in response.content.decode()
    url = f"/staff/applications/{selected.pk}/disbursements/"
    for user, status in ((staff_b, 404), (ministry, 403)):
        client.force_login(user)
        assert client.post(url, {**PAYMENT, "amount": "10,000,000"}).status_code == status
    assert not Disbursement.objects.exists()


def test_the_disbursements_api_is_its_agencys(staff, staff_b, ministry, selected):
    url = f"/api/v1/applications/{selected.pk}/disbursements/"
    assert api_client(staff_b).get(url).status_code == 404
    assert api_client(staff_b).post(url, PAYMENT, format="json").status_code == 404
    assert api_client(ministry).get(url).status_code == 200
    assert api_client(ministry).post(url, PAYMENT, format="json").status_code == 403
    assert not Disbursement.objects.exists()
    assert api_client(staff).post(url, PAYMENT, format="json").status_code == 201


def test_the_contribution_list_runs_a_fixed_number_of_queries(staff, django_assert_num_queries):
    for _ in range(3):
        ContributionFactory()
        ContributionFactory(program=ProgramFactory(agency=AgencyFactory(name="대한상공회의소")))
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count, the page (sponsor joined in)
        assert len(client.get("/api/v1/contributions/").json()["results"]) == 3
