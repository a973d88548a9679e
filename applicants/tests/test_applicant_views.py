"""The SME's `/my/` pages."""

import pytest

from applicants.models import Application
from applicants.services import application_transition
from tests.factories import (
    DECLARATIONS_FORM,
    ApplicationFactory,
    AttachmentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


def test_my_lists_only_my_companys_applications(client, owner):
    mine = ApplicationFactory(company=owner.company, title="우리 과제")
    ApplicationFactory(title="남의 과제")
    client.force_login(owner)
    body = client.get("/my/").content.decode()
    assert "우리 과제" in body and "남의 과제" not in body
    assert client.get(f"/my/applications/{mine.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["applicant", "staff", "evaluator", "mentor"])
def test_an_outsider_gets_404(client, role):
    application = ApplicationFactory()
    outsider = user_with_role(role)
    client.force_login(outsider)
    assert client.get(f"/my/applications/{application.pk}/").status_code == 404
    assert (
        client.post(f"/my/applications/{application.pk}/transition/", {"action": "withdraw"}).status_code
        == 404
    )
    if role != "applicant":
        assert client.get("/my/").status_code == 404
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_the_owner_submits_and_sees_the_timeline(client, owner):
    application = ApplicationFactory(company=owner.company, documents=True)
    client.force_login(owner)
    page = client.get(f"/my/applications/{application.pk}/").content.decode()
    assert ">제출</button>" in page and ">포기</button>" in page
    response = client.post(
        f"/my/applications/{application.pk}/transition/", {"action": "submit", **DECLARATIONS_FORM}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    page = client.get(f"/my/applications/{application.pk}/").content.decode()
    assert "제출 → 접수" in page and ">제출</button>" not in page


def test_a_draft_missing_documents_shows_them_instead_of_the_submit_button(client, owner):
    application = ApplicationFactory(company=owner.company)
    AttachmentFactory(application=application, kind="quote")
    client.force_login(owner)
    page = client.get(f"/my/applications/{application.pk}/").content.decode()
    missing = page.split('id="missing-documents"')[1].split("</div>")[0]
    assert "<li>사업자등록증</li>" in missing and "<li>재무제표</li>" in missing and "견적서" not in missing
    assert ">제출</button>" not in page and ">포기</button>" in page
    response = client.post(
        f"/my/applications/{application.pk}/transition/", {"action": "submit", **DECLARATIONS_FORM}
    )
    assert response.status_code == 400 and "제출 전에 필수 서류를 올려 주세요" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_a_change_request_is_shown_escaped_and_answered(client, owner):
    application = ApplicationFactory(company=owner.company, status=S.SCREENING, documents=True)
    staff = UserFactory(role="staff")
    application_transition(
        application=application, action="request_changes", actor=staff, note="<i>견적서</i> 보완"
    )
    client.force_login(owner)
    page = client.get(f"/my/applications/{application.pk}/").content.decode()
    assert "&lt;i&gt;견적서&lt;/i&gt; 보완" in page
    client.post(f"/my/applications/{application.pk}/transition/", {"action": "submit", **DECLARATIONS_FORM})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_refused_action_answers_409_and_changes_nothing(client, owner):
    application = ApplicationFactory(company=owner.company, status=S.COMPLETED)
    client.force_login(owner)
    response = client.post(f"/my/applications/{application.pk}/transition/", {"action": "withdraw"})
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == S.COMPLETED


def test_my_page_runs_a_constant_number_of_queries(client, owner, django_assert_num_queries):
    client.force_login(owner)
    ApplicationFactory.create_batch(2, company=owner.company, status=S.REJECTED)
    with django_assert_num_queries(5):  # session, user, company, applications, the header's unread count
        client.get("/my/")
    ApplicationFactory.create_batch(8, company=owner.company, status=S.REJECTED)
    with django_assert_num_queries(5):
        client.get("/my/")
