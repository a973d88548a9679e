"""SPEC §15.3: the repeat cap agrees everywhere — preview (with `company`), cost-share, selection, ranking."""

import pytest

from applicants.models import Application
from applicants.services import application_transition
from funds.models import CostShare
from funds.ranking import program_ranking
from funds.selectors import fund_balances
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ProgramFactory,
    SupportRecordFactory,
    UserFactory,
    api_client,
    fund_program,
)

pytestmark = pytest.mark.django_db
PREVIEW = "/api/v1/cost-share/preview/"
BODY = {"level": "advanced1", "total_cost": 400_000_000}


@pytest.fixture
def program():
    return ProgramFactory(capped_2022=True)  # gov 30 %, advanced1 capped at 1.2억, excess to the sponsor


@pytest.fixture
def repeat_company():
    """A company that completed an advanced2 project elsewhere (an imported record)."""
    company = CompanyFactory()
    SupportRecordFactory(business_number=company.business_number, level="advanced2")
    return company


def test_the_preview_with_a_repeat_company_is_repeat_capped(staff, program, repeat_company):
    body = (
        api_client(staff).post(PREVIEW, {"program": program.pk, "company": repeat_company.pk, **BODY}).json()
    )
    assert body == {
        "total": 400_000_000,
        "government": 50_000_000,
        "sponsor": 190_000_000,
        "sme": 160_000_000,
        "capped": True,
        "repeat_capped": True,
    }


def test_the_preview_without_company_or_with_a_first_timer_is_not(staff, program):
    client = api_client(staff)
    plain = client.post(PREVIEW, {"program": program.pk, **BODY}).json()
    first = client.post(PREVIEW, {"program": program.pk, "company": CompanyFactory().pk, **BODY}).json()
    assert plain == first
    assert (plain["government"], plain["repeat_capped"]) == (120_000_000, False)


def test_an_applicant_previews_for_its_own_company_only(program, repeat_company):
    owner = UserFactory(applicant=True, company=repeat_company)
    own = api_client(owner).post(PREVIEW, {"program": program.pk, "company": repeat_company.pk, **BODY})
    assert own.status_code == 200 and own.json()["repeat_capped"] is True
    other = api_client(UserFactory(applicant=True)).post(
        PREVIEW, {"program": program.pk, "company": repeat_company.pk, **BODY}
    )
    assert other.status_code == 400 and "company" in other.json()


@pytest.mark.parametrize("company", [999_999, "abc"])
def test_an_unknown_company_is_400_on_company(staff, program, company):
    response = api_client(staff).post(PREVIEW, {"program": program.pk, "company": company, **BODY})
    assert response.status_code == 400 and "company" in response.json()


def test_the_preview_with_company_takes_one_query_more(
    staff, program, repeat_company, django_assert_num_queries
):
    client = api_client(staff)
    # the program, the company, and one for the repeat check
    with django_assert_num_queries(3):
        client.post(PREVIEW, {"program": program.pk, "company": repeat_company.pk, **BODY})


def test_selection_commits_the_repeat_capped_shares_and_cost_share_says_so(staff, program, repeat_company):
    application = ApplicationFactory(
        program=program, company=repeat_company, level="advanced1", total_cost=400_000_000, evaluation=True
    )
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    application_transition(application=application, action="select", actor=staff)
    balances = fund_balances(program_id=program.pk)
    assert balances["government"].committed == 50_000_000
    assert balances["sponsor"].committed == 190_000_000
    share = CostShare.objects.get(application=application)
    assert (share.government, share.repeat_capped) == (50_000_000, True)
    body = api_client(staff).get(f"/api/v1/applications/{application.pk}/cost-share/").json()
    assert (body["government"], body["repeat_capped"]) == (50_000_000, True)


def test_an_own_completed_application_counts_in_another_program(staff, program):
    company = CompanyFactory()
    ApplicationFactory(company=company, level="advanced1", status=Application.Status.COMPLETED)
    application = ApplicationFactory(
        program=program, company=company, level="advanced1", total_cost=400_000_000, evaluation=True, score=90
    )
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    [row] = program_ranking(program=program)
    assert row.application == application
    assert row.split is not None and (row.split.government, row.split.repeat_capped) == (50_000_000, True)


def test_the_ranking_checks_repeats_in_its_one_query(staff, program, django_assert_num_queries):
    for _ in range(3):
        company = CompanyFactory()
        SupportRecordFactory(business_number=company.business_number, level="advanced1")
        ApplicationFactory(
            program=program,
            company=company,
            level="advanced1",
            total_cost=400_000_000,
            evaluation=True,
            score=80,
        )
    balances = fund_balances(program_id=program.pk)
    with django_assert_num_queries(1):
        rows = program_ranking(program=program, balances=balances)
    assert [row.split.repeat_capped for row in rows if row.split] == [True, True, True]
