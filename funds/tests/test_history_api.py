"""GET /api/v1/companies/{id}/history/ (SPEC §15.4): a register every agency's staff and the ministry
read; nobody else sees it (404, even the company's own applicant); anonymous 403."""

import pytest
from django.utils import timezone

from applicants.models import Application
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ProgramFactory,
    SupportRecordFactory,
    UserFactory,
    api_client,
    user_with_role,
)

pytestmark = pytest.mark.django_db

S = Application.Status


@pytest.fixture
def company():
    company = CompanyFactory()
    kbiz = AgencyFactory(name="중소기업중앙회")
    ApplicationFactory(
        program=ProgramFactory(year=2025, agency=kbiz, title="중기중앙회 구축사업"),
        company=company,
        status=S.COMPLETED,
        decided_at=timezone.now(),
        total_cost=100_000_000,
    )
    ApplicationFactory(company=company, status=S.REJECTED, decided_at=timezone.now())
    SupportRecordFactory(business_number=company.business_number, program_name="보급확산 2020", year=2020)
    return company


def url(company_id) -> str:
    return f"/api/v1/companies/{company_id}/history/"


def test_staff_of_another_agency_read_it_newest_first(company):
    response = api_client(UserFactory()).get(url(company.pk))  # staff of 협력재단: the row is 중기중앙회's
    assert response.status_code == 200
    assert response.json() == [
        {
            "source": "system",
            "program": "중기중앙회 구축사업",
            "agency": "중소기업중앙회",
            "year": 2025,
            "level": "basic",
            "level_label": "기초",
            "status": "completed",
            "status_label": "완료",
            "government": 30_000_000,  # no stored split: the 30 % the policy gives
            "sponsor": 30_000_000,
        },
        {
            "source": "import",
            "program": "보급확산 2020",
            "agency": None,
            "year": 2020,
            "level": "basic",
            "level_label": "기초",
            "status": "completed",
            "status_label": "완료",
            "government": 50_000_000,
            "sponsor": None,
        },
    ]


def test_the_ministry_reads_it(company):
    response = api_client(UserFactory(ministry=True)).get(url(company.pk))
    assert response.status_code == 200
    assert len(response.json()) == 2


@pytest.mark.parametrize("role", ["applicant", "sponsor", "evaluator", "mentor"])
def test_other_roles_do_not_see_it(company, role):
    assert api_client(user_with_role(role)).get(url(company.pk)).status_code == 404


def test_not_even_the_companys_own_applicant(company):
    owner = UserFactory(applicant=True, company=company)
    assert api_client(owner).get(f"/api/v1/companies/{company.pk}/").status_code == 200  # the register
    assert api_client(owner).get(url(company.pk)).status_code == 404


def test_anonymous_requests_are_refused(company, client):
    assert client.get(url(company.pk)).status_code == 403


@pytest.mark.parametrize("company_id", ["999999", "x", "99999999999999999999", "-1"])
def test_a_company_that_is_not_there_answers_404(company_id):
    assert api_client(UserFactory()).get(url(company_id)).status_code == 404


def test_a_company_without_history_answers_an_empty_list():
    assert api_client(UserFactory()).get(url(CompanyFactory().pk)).json() == []


def test_it_only_reads(company):
    client = api_client(UserFactory())
    assert client.post(url(company.pk), {}).status_code == 405
    assert client.delete(url(company.pk)).status_code == 405


def test_the_company_routes_still_answer(company):
    client = api_client(UserFactory())
    assert client.get(f"/api/v1/companies/{company.pk}/").json()["id"] == company.pk
    assert client.get("/api/v1/companies/").status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
def test_the_same_queries_however_long(rows, django_assert_num_queries):
    company = CompanyFactory()
    for n in range(rows):
        ApplicationFactory(company=company, status=S.BUILDING, decided_at=timezone.now())
        SupportRecordFactory(business_number=company.business_number, year=2015 + n)
    client = api_client(UserFactory())
    client.get(url(company.pk))
    # the company, its applications, its records (token auth: no session), and the repeat rule of the
    # splits the worker has not stored yet (none is here), in one query
    with django_assert_num_queries(4):
        assert len(client.get(url(company.pk)).json()) == 2 * rows


def test_the_schema_documents_it():
    response = api_client(UserFactory()).get("/api/schema/", {"format": "json"})
    schema = response.json()
    operation = schema["paths"]["/api/v1/companies/{id}/history/"]["get"]
    row = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    fields = schema["components"]["schemas"][row.rsplit("/", 1)[1]]["properties"]
    assert {"source", "program", "agency", "year", "level", "status", "government", "sponsor"} <= set(fields)
