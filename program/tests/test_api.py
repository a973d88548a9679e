import pytest

from program.models import Program, Sponsor
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ContributionFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db


def program_body(**overrides):
    body = {
        "title": "2022 상생형 스마트공장 유형1",
        "year": 2022,
        "sponsor": SponsorFactory().pk,
        "agency": AgencyFactory().pk,
        "track": "유형1",
        "gov_ratio": 30,
        "sponsor_ratio": 30,
        "sme_ratio": 40,
        "gov_caps": {"basic": 42_000_000, "advanced1": 120_000_000, "advanced2": 240_000_000},
        "rounding_unit": 1000,
        "cap_excess_to": "sponsor",
        "gov_budget": 3_000_000_000,
        "rubric": [
            {"key": "plan", "label": "사업계획 적정성", "max_points": 30},
            {"key": "capability", "label": "추진역량", "max_points": 25},
            {"key": "impact", "label": "기대효과", "max_points": 30},
            {"key": "partnership", "label": "상생협력", "max_points": 15},
        ],
        "opens_on": "2022-03-01",
        "closes_on": "2022-04-30",
        "status": "open",
    }
    body.update(overrides)
    return body


def test_staff_create_a_program_with_its_policy():
    response = api_client(UserFactory(role="staff")).post("/api/v1/programs/", program_body(), format="json")
    assert response.status_code == 201, response.json()
    program = Program.objects.get()
    assert (program.gov_cap_basic, program.gov_cap_advanced2) == (42_000_000, 240_000_000)
    assert response.json()["gov_caps"] == {
        "basic": 42_000_000,
        "advanced1": 120_000_000,
        "advanced2": 240_000_000,
    }


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"sme_ratio": 50}, "gov_ratio"),
        ({"closes_on": "2022-02-01"}, "closes_on"),
        ({"rubric": [{"key": "plan", "label": "계획", "max_points": 90}]}, "rubric"),
        ({"gov_budget": -1}, "gov_budget"),
        ({"repeat_gov_cap": -1}, "repeat_gov_cap"),
    ],
)
def test_a_bad_policy_is_refused_and_nothing_saved(overrides, field):
    response = api_client(UserFactory(role="staff")).post(
        "/api/v1/programs/", program_body(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Program.objects.exists()


def test_the_repeat_cap_defaults_to_50_million_and_is_set_through_the_api():
    staff = api_client(UserFactory(role="staff"))
    created = staff.post("/api/v1/programs/", program_body(), format="json").json()
    assert created["repeat_gov_cap"] == 50_000_000
    url = f"/api/v1/programs/{created['id']}/"
    assert (
        staff.patch(url, {"repeat_gov_cap": 30_000_000}, format="json").json()["repeat_gov_cap"] == 30_000_000
    )
    assert Program.objects.get().cost_share_policy().repeat_gov_cap == 30_000_000


def test_a_program_requires_all_four_documents_unless_told_otherwise():
    staff = api_client(UserFactory(role="staff"))
    created = staff.post("/api/v1/programs/", program_body(), format="json").json()
    assert created["required_documents"] == [
        "business_registration",
        "financial_statements",
        "quote",
        "business_plan",
    ]
    url = f"/api/v1/programs/{created['id']}/"
    changed = staff.patch(url, {"required_documents": ["business_plan", "quote"]}, format="json")
    assert changed.status_code == 200 and changed.json()["required_documents"] == ["business_plan", "quote"]
    assert Program.objects.get().required_documents == ["business_plan", "quote"]
    assert staff.patch(url, {"required_documents": []}, format="json").json()["required_documents"] == []


@pytest.mark.parametrize(
    "documents", [["resume"], ["quote", "quote"], "quote", [{"kind": "quote"}], ["completion_report"]]
)
def test_unknown_or_repeated_required_documents_are_refused(documents):
    staff = api_client(UserFactory(role="staff"))
    response = staff.post("/api/v1/programs/", program_body(required_documents=documents), format="json")
    assert response.status_code == 400 and "required_documents" in response.json()
    assert not Program.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "evaluator", "mentor"])
def test_only_staff_write_programs(role):
    user = UserFactory(role=role)
    assert api_client(user).post("/api/v1/programs/", program_body(), format="json").status_code == 403


def test_a_sponsor_sees_only_its_own_sponsor_and_programs():
    mine = ProgramFactory()
    other = ProgramFactory()
    user = UserFactory(role="sponsor", sponsor=mine.sponsor)
    client = api_client(user)
    assert [s["id"] for s in client.get("/api/v1/sponsors/").json()["results"]] == [mine.sponsor_id]
    assert client.get(f"/api/v1/sponsors/{other.sponsor_id}/").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/programs/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/programs/{other.pk}/").status_code == 404


def test_the_schema_and_docs_are_served_locally(admin_client):
    client = api_client(UserFactory(role="staff"))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


@pytest.mark.parametrize("cap", [2**63, 10_000_000_001, -1])
def test_a_gov_cap_out_of_range_is_refused_at_its_field(cap):
    body = program_body(gov_caps={"basic": cap, "advanced1": None, "advanced2": None})

    response = api_client(UserFactory(role="staff")).post("/api/v1/programs/", body, format="json")

    assert response.status_code == 400
    assert response.json()["gov_caps"]["basic"] == [
        "정부지원 한도는 0원 이상 10,000,000,000원 이하여야 합니다."
    ]
    assert not Program.objects.exists()


def test_a_gov_cap_at_the_project_maximum_is_accepted():
    body = program_body(gov_caps={"basic": 10_000_000_000, "advanced1": 0, "advanced2": None})

    response = api_client(UserFactory(role="staff")).post("/api/v1/programs/", body, format="json")

    assert response.status_code == 201, response.json()


def test_a_sponsor_with_a_taken_business_number_is_refused_at_the_field():
    taken = SponsorFactory()
    body = {"name": "새 주관기관", "business_number": taken.business_number, "kind": "large"}

    response = api_client(UserFactory(role="staff")).post("/api/v1/sponsors/", body, format="json")

    assert response.status_code == 400
    assert response.json()["business_number"] == ["이미 등록된 사업자등록번호입니다."]
    assert Sponsor.objects.count() == 1


def test_the_program_list_takes_the_same_queries_however_long(django_assert_num_queries):
    def add(n):
        for program in ProgramFactory.create_batch(n):
            ContributionFactory(program=program)
            ApplicationFactory(program=program, submitted=True)

    add(2)
    client = api_client(UserFactory(role="staff"))
    with django_assert_num_queries(2):  # the count for the pagination, then the page
        client.get("/api/v1/programs/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/programs/")
    assert len(response.json()["results"]) == 12


def test_the_sponsor_list_takes_the_same_queries_however_long(django_assert_num_queries):
    def add(n):
        for program in ProgramFactory.create_batch(n):
            ContributionFactory(program=program)
            CompanyFactory(is_sponsor_partner=True, partner_of=program.sponsor)

    add(2)
    client = api_client(UserFactory(role="staff"))
    with django_assert_num_queries(2):  # the count for the pagination, then the page
        client.get("/api/v1/sponsors/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/sponsors/")
    assert len(response.json()["results"]) == 12
