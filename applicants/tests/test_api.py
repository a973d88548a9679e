"""The REST API of docs/domain.md §10 for companies, applications, transitions, history and cost share."""

import pytest
from rest_framework.test import APIClient

from applicants.models import Application, Company
from program.models import AuditEvent
from tests.factories import (
    DECLARATIONS,
    ApplicationFactory,
    AttachmentFactory,
    CompanyFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    SupplierFactory,
    UserFactory,
    api_client,
    fund_program,
    valid_business_number,
)
from tests.two_factor import totp_code, totp_device

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


def company_body(**overrides):
    body = {
        "business_number": valid_business_number(),
        "name": "한빛정밀",
        "representative": "김하늘",
        "region": "경북",
        "industry_code": "26299",
        "employees": 35,
        "annual_revenue": 6_200_000_000,
        "founded_on": "2008-05-01",
        "current_level": "basic",
        "is_sponsor_partner": False,
    }
    body.update(overrides)
    return body


def test_a_client_gets_a_token_and_uses_it():
    totp_device(UserFactory(username="officer"))  # staff sign in with a second factor (SPEC §20)
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "officer", "password": "correct-horse-42", "otp": totp_code()}
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/applications/").status_code == 200
    assert APIClient().get("/api/v1/applications/").status_code == 403


def test_an_applicant_registers_its_company_once():
    user = UserFactory(role="applicant")
    number = valid_business_number()
    hyphenated = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    response = api_client(user).post(
        "/api/v1/companies/", company_body(business_number=hyphenated), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["business_number"] == hyphenated
    user.refresh_from_db()
    assert user.company.business_number == number
    again = api_client(user).post("/api/v1/companies/", company_body(), format="json")
    assert again.status_code == 400
    assert Company.objects.count() == 1


def test_a_wrong_business_number_is_a_korean_field_error():
    user = UserFactory(role="applicant")
    response = api_client(user).post(
        "/api/v1/companies/", company_body(business_number="123-45-67890"), format="json"
    )
    assert response.status_code == 400
    assert "사업자등록번호" in response.json()["business_number"][0]
    assert not Company.objects.exists()


def test_an_applicant_creates_and_edits_its_draft(owner, eager_tasks, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    client = api_client(owner)
    body = {"program": program.pk, "company": owner.company_id, "level": "basic", "title": "MES 구축",
            "plan": "생산 실적 자동 수집", "total_cost": 100_000_001, "wants_mentoring": True}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/applications/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["status"], data["score"]) == ("draft", None)
    url = f"/api/v1/applications/{data['id']}/"
    # the cost-share task ran once the draft was committed
    assert client.get(url + "cost-share/").json()["government"] == 30_000_000
    with django_capture_on_commit_callbacks(execute=True):
        patched = client.patch(url, {"total_cost": 200_000_000}, format="json")
    assert patched.status_code == 200
    assert client.get(url).json()["cost_share"]["sme"] == 80_000_000
    assert AuditEvent.objects.filter(action="application.update").get().after == {"total_cost": 200_000_000}


def test_an_applicant_cannot_apply_for_another_company(owner):
    program = ProgramFactory()
    other = CompanyFactory()
    body = {"program": program.pk, "company": other.pk, "level": "basic", "title": "x"}
    response = api_client(owner).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "company" in response.json()


def test_one_live_application_per_program(owner):
    existing = ApplicationFactory(company=owner.company)
    body = {"program": existing.program_id, "company": owner.company_id, "level": "basic", "title": "두번째"}
    response = api_client(owner).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "진행 중인 신청서" in response.json()["program"][0]


def test_a_submitted_application_cannot_be_edited(owner):
    application = ApplicationFactory(company=owner.company, submitted=True)
    response = api_client(owner).patch(
        f"/api/v1/applications/{application.pk}/", {"title": "new"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"


def test_transitions_answer_the_application_or_409(owner, staff):
    application = ApplicationFactory(company=owner.company, documents=True)
    url = f"/api/v1/applications/{application.pk}/transitions/"
    response = api_client(owner).post(url, {"action": "submit", "declarations": DECLARATIONS}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    again = api_client(owner).post(url, {"action": "submit", "declarations": DECLARATIONS}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert api_client(owner).post(url, {"action": "start_screening"}, format="json").status_code == 403
    assert (
        api_client(staff).post(url, {"action": "start_screening"}, format="json").json()["status"]
        == "screening"
    )


def test_submit_without_the_required_documents_answers_400_documents_missing(owner):
    application = ApplicationFactory(company=owner.company)
    AttachmentFactory(application=application, kind="business_registration")
    url = f"/api/v1/applications/{application.pk}/transitions/"
    response = api_client(owner).post(url, {"action": "submit", "declarations": DECLARATIONS}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "documents_missing"
    assert body["missing"] == ["financial_statements", "quote", "business_plan"]
    assert "재무제표, 견적서, 사업계획서" in body["detail"]
    application.refresh_from_db()
    assert application.status == S.DRAFT
    for kind in body["missing"]:
        AttachmentFactory(application=application, kind=kind)
    response = api_client(owner).post(url, {"action": "submit", "declarations": DECLARATIONS}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_select_without_money_is_409_insufficient_funds(staff):
    application = ApplicationFactory(evaluation=True)
    fund_program(application.program, sponsor=10**6, government=10**6)
    url = f"/api/v1/applications/{application.pk}/transitions/"
    response = api_client(staff).post(url, {"action": "select"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_funds"


def test_history_lists_the_audit_events(owner):
    application = ApplicationFactory(company=owner.company, documents=True)
    api_client(owner).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"action": "submit", "declarations": DECLARATIONS},
        format="json",
    )
    history = api_client(owner).get(f"/api/v1/applications/{application.pk}/history/").json()
    assert [(e["action"], e["before"], e["after"]) for e in history] == [
        ("application.submit", {"status": "draft"}, {"status": "submitted", "declarations": DECLARATIONS})
    ]


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_an_outsider_of_each_role_gets_404(role, owner):
    application = ApplicationFactory(company=owner.company, selected=True)
    outsider = {
        "applicant": lambda: UserFactory(applicant=True),
        "evaluator": lambda: UserFactory(evaluator=True),
        "sponsor": lambda: UserFactory(sponsor_user=True),
        "mentor": lambda: UserFactory(mentor=True),
    }[role]()
    client = api_client(outsider)
    base = f"/api/v1/applications/{application.pk}"
    for path in ("/", "/history/", "/cost-share/"):
        assert client.get(base + path).status_code == 404
    assert client.post(base + "/transitions/", {"action": "withdraw"}).status_code == 404
    assert client.get("/api/v1/applications/").json()["count"] == 0


def test_each_role_sees_what_is_theirs(owner, staff):
    application = ApplicationFactory(company=owner.company, selected=True)
    ApplicationFactory.create_batch(2, submitted=True)
    evaluator = EvaluatorAssignmentFactory(application=application).evaluator
    mentor = MentoringAssignmentFactory(application=application).mentor.user
    sponsor = UserFactory(role="sponsor", sponsor=application.program.sponsor)
    assert api_client(staff).get("/api/v1/applications/").json()["count"] == 3
    for user in (owner, evaluator, mentor, sponsor):
        ids = [row["id"] for row in api_client(user).get("/api/v1/applications/").json()["results"]]
        assert ids == [application.pk], user.role


def test_filters_search_and_ordering(staff):
    program = ProgramFactory()
    a = ApplicationFactory(program=program, submitted=True, total_cost=300, company__name="대성금속")
    b = ApplicationFactory(program=program, submitted=True, total_cost=100, level="advanced1")
    c = ApplicationFactory(submitted=True, total_cost=200, company__region="경북")
    client = api_client(staff)

    def ids(query):
        return [row["id"] for row in client.get("/api/v1/applications/" + query).json()["results"]]

    assert ids(f"?program={program.pk}&ordering=total_cost") == [b.pk, a.pk]
    assert ids("?ordering=-total_cost") == [a.pk, c.pk, b.pk]
    assert ids("?level=advanced1") == [b.pk]
    assert ids("?region=경북") == [c.pk]
    assert ids("?q=대성") == [a.pk]
    number = c.company.business_number
    assert ids(f"?q={number[:3]}-{number[3:5]}-{number[5:]}") == [c.pk]
    assert client.get("/api/v1/applications/?status=bogus").status_code == 400


@pytest.mark.parametrize("value", ["-5.9e131", "1e30", "99999999999999999999", "1.5", "0"])
def test_a_program_filter_that_is_no_id_is_refused(staff, value):
    """Found by the API fuzzer (tests/test_api_fuzz.py): a number beyond the database's integer
    range answered 500."""
    response = api_client(staff).get("/api/v1/applications/", {"program": value})
    assert response.status_code == 400
    assert "program" in response.json()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_a_constant_number_of_queries(rows, staff, django_assert_num_queries):
    for application in ApplicationFactory.create_batch(rows, submitted=True):
        from funds.services import cost_share_compute

        cost_share_compute(application=application)
    client = api_client(staff)
    with django_assert_num_queries(2):  # count + page
        response = client.get("/api/v1/applications/?page_size=100")
    assert len(response.json()["results"]) == rows


def test_page_size_is_capped_at_100(staff):
    program = ProgramFactory()
    ApplicationFactory.create_batch(101, program=program)
    body = api_client(staff).get("/api/v1/applications/?page_size=1000").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], len(body["results"])) == (101, 100)
    assert body["next"] is not None


def test_the_preview_splits_without_saving(owner):
    program = ProgramFactory(capped_2022=True)
    response = api_client(owner).post(
        "/api/v1/cost-share/preview/", {"program": program.pk, "level": "basic", "total_cost": 200_000_000}
    )
    assert response.json() == {
        "total": 200_000_000,
        "government": 42_000_000,
        "sponsor": 78_000_000,
        "sme": 80_000_000,
        "capped": True,
        "repeat_capped": False,
    }
    bad = api_client(owner).post(
        "/api/v1/cost-share/preview/", {"program": program.pk, "level": "basic", "total_cost": 0}
    )
    assert bad.status_code == 400 and "1원 이상" in bad.json()["total_cost"][0]


def test_unscored_applications_sort_last_both_ways(staff):
    scored_low = ApplicationFactory(evaluation=True, score=50)
    scored_high = ApplicationFactory(evaluation=True, score=90)
    unscored = ApplicationFactory(evaluation=True)
    client = api_client(staff)

    def ids(ordering):
        return [
            row["id"] for row in client.get(f"/api/v1/applications/?ordering={ordering}").json()["results"]
        ]

    assert ids("-score") == [scored_high.pk, scored_low.pk, unscored.pk]
    assert ids("score") == [scored_low.pk, scored_high.pk, unscored.pk]


def test_blank_sort_keys_are_skipped_and_unknown_ones_refused(staff):
    """Found by the API fuzzer (tests/test_api_fuzz.py): `?ordering=,` answered 500."""
    cheap = ApplicationFactory(submitted=True, total_cost=100)
    dear = ApplicationFactory(submitted=True, total_cost=300)
    client = api_client(staff)

    def ids(ordering):
        response = client.get(f"/api/v1/applications/?ordering={ordering}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(",") == ids(",,") == [dear.pk, cheap.pk]  # no key: newest first
    assert ids("total_cost,") == ids(",total_cost") == [cheap.pk, dear.pk]
    for bad in ("-", "-,", "bogus"):
        response = client.get(f"/api/v1/applications/?ordering={bad}")
        assert response.status_code == 400, bad
        assert "ordering" in response.json()


def test_a_supplier_with_a_taken_business_number_is_refused_at_the_field():
    from applicants.models import Supplier
    from tests.factories import SupplierFactory

    taken = SupplierFactory()
    body = {"name": "새 공급기업", "business_number": taken.business_number, "region": "서울"}

    response = api_client(UserFactory(role="staff")).post("/api/v1/suppliers/", body, format="json")

    assert response.status_code == 400
    assert response.json()["business_number"] == ["이미 등록된 사업자등록번호입니다."]
    assert Supplier.objects.count() == 1


@pytest.mark.parametrize("role", ["staff", "evaluator", "applicant"])
@pytest.mark.parametrize("events", [2, 12])
def test_history_runs_a_constant_number_of_queries(role, events, django_assert_num_queries):
    from program.services import audit_event_record

    staff = UserFactory(role="staff")
    application = ApplicationFactory(evaluation=True)
    evaluator = EvaluatorAssignmentFactory(application=application, assigned_by=staff).evaluator
    owner = UserFactory(applicant=True, company=application.company)
    for i in range(events):
        audit_event_record(
            actor=evaluator, action="evaluation.submit", target=application, after={"total": i}
        )
        audit_event_record(actor=staff, action="application.update", target=application, after={"title": i})
    user = {"staff": staff, "evaluator": evaluator, "applicant": owner}[role]
    client = api_client(user)

    with django_assert_num_queries(2):  # the application in the user's scope, then its history
        response = client.get(f"/api/v1/applications/{application.pk}/history/")

    assert len(response.json()) == (events if role == "applicant" else 2 * events)


def test_the_company_list_takes_the_same_queries_however_long(staff, django_assert_num_queries):
    def add(n):
        for company in CompanyFactory.create_batch(n, partner_of=SponsorFactory()):
            ApplicationFactory(company=company, submitted=True)

    add(2)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count for the pagination, then the page
        client.get("/api/v1/companies/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/companies/")
    assert len(response.json()["results"]) == 12


def test_the_supplier_list_takes_the_same_queries_however_long(staff, django_assert_num_queries):
    def add(n):
        for supplier in SupplierFactory.create_batch(n):
            ApplicationFactory(supplier=supplier, submitted=True)

    add(2)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count for the pagination, then the page
        client.get("/api/v1/suppliers/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/suppliers/")
    assert len(response.json()["results"]) == 12


def test_the_evaluation_list_takes_the_same_queries_however_long(staff, django_assert_num_queries):
    add = EvaluationFactory.create_batch  # each by its own evaluator, on its own application
    add(2)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count for the pagination, then the page, evaluators joined in
        client.get("/api/v1/evaluations/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/evaluations/")
    assert len(response.json()["results"]) == 12
