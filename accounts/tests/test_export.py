"""`GET /api/v1/me/export/` (SPEC §20): a user's own personal data and applications as a JSON download,
and the page with its button."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.consent import consent_record
from applicants.models import Message, SubmissionDeclaration
from program.models import AuditEvent
from tests.factories import DECLARATIONS, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/export/"


@pytest.fixture
def owner():
    user = UserFactory(
        applicant=True, first_name="김한빛", email="kim@hanbit.example", privacy_consent_version=""
    )
    consent_record(user=user, optional={"marketing": True})
    return user


def _export(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    return json.loads(response.content)


def test_an_applicant_gets_its_account_consents_company_and_applications(owner):
    application = ApplicationFactory(company=owner.company, plan="우리 공장 계획")
    SubmissionDeclaration.objects.create(application=application, user=owner, **DECLARATIONS)
    Message.objects.create(application=application, author=owner, author_name="김한빛", body="질문입니다")
    staff = UserFactory()
    Message.objects.create(application=application, author=staff, author_name="담당", body="답변입니다")
    Message.objects.create(
        application=application, author=staff, author_name="담당", body="내부 메모", visibility="internal"
    )

    data = _export(owner)

    assert data["account"]["first_name"] == "김한빛" and data["account"]["email"] == "kim@hanbit.example"
    assert {(c["kind"], c["agreed"]) for c in data["consents"]} == {("privacy", True), ("marketing", True)}
    assert data["company"]["business_number"] == owner.company.business_number
    (exported,) = data["applications"]
    assert exported["plan"] == "우리 공장 계획" and exported["status"] == application.status
    assert [m["body"] for m in exported["messages"]] == ["질문입니다", "답변입니다"]  # no internal note
    assert [m["body"] for m in data["messages_written"]] == ["질문입니다"]
    assert data["declarations"][0]["application"] == application.pk
    assert "password" not in json.dumps(data)


def test_it_gives_only_the_users_own_data(owner):
    other = UserFactory(applicant=True, first_name="남의회사")
    ApplicationFactory(company=other.company, title="남의 과제")
    ApplicationFactory(company=owner.company, title="우리 과제")
    text = json.dumps(_export(owner), ensure_ascii=False)
    assert "우리 과제" in text and "남의 과제" not in text and "남의회사" not in text


def test_another_role_gets_its_account_and_what_it_wrote():
    evaluator = UserFactory(evaluator=True, first_name="평가")
    data = _export(evaluator)
    assert data["account"]["role"] == "evaluator" and "company" not in data
    assert data["evaluations_given"] == [] and data["messages_written"] == []


def test_the_export_is_audited(owner):
    _export(owner)
    event = AuditEvent.objects.get(action="account.export")
    assert event.actor == owner and event.object_id == owner.pk


def test_anonymous_requests_are_refused():
    assert APIClient().get(URL).status_code == 403


def test_a_browser_asking_for_html_still_gets_the_json_file(client, owner):
    client.force_login(owner)
    response = client.get(URL, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")  # as a browser asks
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["account"]["username"] == owner.username


def test_the_page_has_the_button(client, owner):
    assert client.get("/account/export/")["Location"].startswith("/accounts/login/")
    client.force_login(owner)
    page = client.get("/account/export/").content.decode()
    assert f'href="{URL}"' in page and "JSON 파일 내려받기" in page


def test_the_export_queries_do_not_grow_with_applications(owner, django_assert_num_queries):
    for _ in range(3):
        application = ApplicationFactory(company=owner.company)
        Message.objects.create(application=application, author=owner, author_name="김", body="?")
    client = APIClient()
    client.force_authenticate(owner)
    # savepoint; consents; applications, their documents, their messages; declarations; messages
    # written; evaluations given; the audit event's content type and row; release
    with django_assert_num_queries(10):
        assert client.get(URL).status_code == 200
