"""SPEC §15.1: the four declarations at submit — the service, the API, the two pages, the staff page."""

import re

import pytest

from applicants.models import Application, SubmissionDeclaration
from applicants.services import application_transition
from config.errors import DomainError
from program.models import AuditEvent
from tests.factories import (
    DECLARATIONS,
    DECLARATIONS_FORM,
    ApplicationFactory,
    ProgramFactory,
    SupportRecordFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db
S = Application.Status
LABELS = (
    "휴업 또는 폐업 중인 기업이 아닙니다.",
    "국세 및 지방세를 체납하고 있지 않습니다.",
    "파산 또는 회생 절차가 진행 중인 기업이 아닙니다.",
    "신청서에 적은 내용과 제출한 서류가 사실과 다르지 않음을 확인합니다.",
)


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def draft(owner):
    return ApplicationFactory(company=owner.company, documents=True)


def _nothing_changed(application):
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.submitted_at is None
    assert not SubmissionDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(action="application.submit").exists()


@pytest.mark.parametrize(
    "declarations",
    [
        None,
        {},
        {**DECLARATIONS, "info_true": False},
        {k: v for k, v in DECLARATIONS.items() if k != "not_insolvent"},
        {**DECLARATIONS, "no_tax_arrears": "true"},  # only a real true counts
        "all of them",
    ],
)
def test_a_submit_without_all_four_is_400_declarations_required_and_changes_nothing(
    owner, draft, declarations
):
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=draft, action="submit", actor=owner, declarations=declarations)
    assert (excinfo.value.status_code, excinfo.value.code) == (400, "declarations_required")
    _nothing_changed(draft)


def test_the_missing_ones_are_named(owner, draft):
    with pytest.raises(DomainError) as excinfo:
        application_transition(
            application=draft,
            action="submit",
            actor=owner,
            declarations={**DECLARATIONS, "not_closed": False},
        )
    assert excinfo.value.data == {"missing": ["not_closed"]}


def test_they_are_stored_with_user_and_time_and_audited(owner, draft):
    application_transition(application=draft, action="submit", actor=owner, declarations=DECLARATIONS)
    [declaration] = SubmissionDeclaration.objects.all()
    assert (declaration.application, declaration.user) == (draft, owner)
    assert all(getattr(declaration, field) for field in SubmissionDeclaration.FIELDS)
    assert declaration.created_at is not None
    event = AuditEvent.objects.get(action="application.submit")
    assert event.after["declarations"] == DECLARATIONS


def test_a_resubmission_after_changes_requested_adds_another(owner, draft, staff):
    application_transition(application=draft, action="submit", actor=owner, declarations=DECLARATIONS)
    application_transition(application=draft, action="start_screening", actor=staff)
    application_transition(application=draft, action="request_changes", actor=staff, note="견적서 보완")
    with pytest.raises(DomainError):
        application_transition(application=draft, action="submit", actor=owner)
    application_transition(application=draft, action="submit", actor=owner, declarations=DECLARATIONS)
    assert SubmissionDeclaration.objects.filter(application=draft).count() == 2


def test_other_actions_need_none(owner, draft, staff):
    application_transition(application=draft, action="submit", actor=owner, declarations=DECLARATIONS)
    application_transition(application=draft, action="start_screening", actor=staff)
    assert SubmissionDeclaration.objects.count() == 1


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_answers_400_declarations_required(owner, draft):
    url = f"/api/v1/applications/{draft.pk}/transitions/"
    response = api_client(owner).post(
        url, {"action": "submit", "declarations": {**DECLARATIONS, "info_true": False}}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "declarations_required"
    assert api_client(owner).post(url, {"action": "submit"}, format="json").json()["code"] == (
        "declarations_required"
    )
    _nothing_changed(draft)
    response = api_client(owner).post(url, {"action": "submit", "declarations": DECLARATIONS}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert SubmissionDeclaration.objects.get().user == owner


# --- pages -------------------------------------------------------------------------------------------


def _boxes(page: str) -> dict[str, str]:
    """name → the checkbox tag, for the four declarations."""
    return {
        name: tag
        for tag in re.findall(r'<input type="checkbox"[^>]*>', page)
        for name in SubmissionDeclaration.FIELDS
        if f'name="{name}"' in tag
    }


def test_the_review_step_shows_four_unticked_checkboxes_with_their_labels(client, owner, draft):
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/review/").content.decode()
    boxes = _boxes(page)
    assert set(boxes) == set(SubmissionDeclaration.FIELDS)
    assert not any("checked" in tag for tag in boxes.values())
    assert all(label in page for label in LABELS)
    assert 'class="krds-form-check"' in page


def test_the_review_step_refuses_unticked_boxes_next_to_them_and_keeps_the_ticked(client, owner, draft):
    client.force_login(owner)
    ticked = {k: v for k, v in DECLARATIONS_FORM.items() if k != "no_tax_arrears"}
    response = client.post(f"/apply/{draft.pk}/review/", ticked)
    assert response.status_code == 400
    page = response.content.decode()
    assert "제출하려면 네 가지 확인 사항에 모두 동의해 주세요." in page
    assert 'id="id_no_tax_arrears-error"' in page and "제출하려면 이 항목을 확인해 주세요." in page
    assert page.count("제출하려면 이 항목을 확인해 주세요.") == 1
    boxes = _boxes(page)
    assert "checked" not in boxes["no_tax_arrears"]
    assert all("checked" in boxes[name] for name in ticked)
    _nothing_changed(draft)
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM)
    assert response.status_code == 302
    assert SubmissionDeclaration.objects.get().user == owner


def test_the_my_page_submit_needs_them_too(client, owner, draft):
    client.force_login(owner)
    page = client.get(f"/my/applications/{draft.pk}/").content.decode()
    assert set(_boxes(page)) == set(SubmissionDeclaration.FIELDS)
    response = client.post(f"/my/applications/{draft.pk}/transition/", {"action": "submit"})
    assert response.status_code == 400
    assert "제출하려면 이 항목을 확인해 주세요." in response.content.decode()
    _nothing_changed(draft)
    response = client.post(
        f"/my/applications/{draft.pk}/transition/", {"action": "submit", **DECLARATIONS_FORM}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_the_staff_page_shows_the_newest_declarations_with_user_and_time(client, owner, draft, staff):
    client.force_login(staff)
    assert "아직 제출 전 확인이 없습니다." in client.get(f"/staff/applications/{draft.pk}/").content.decode()
    owner.first_name = "김민지"
    owner.save()
    application_transition(application=draft, action="submit", actor=owner, declarations=DECLARATIONS)
    page = client.get(f"/staff/applications/{draft.pk}/").content.decode()
    block = page.split('id="declaration-title"')[1].split("</section>")[0]
    assert "님이 확인" in block and "<time" in block
    assert all(label in block for label in LABELS)


def test_the_review_step_says_when_the_repeat_cap_applies(client, owner):
    SupportRecordFactory(business_number=owner.company.business_number, level="advanced1")
    draft = ApplicationFactory(
        company=owner.company, program=ProgramFactory(), level="advanced1", total_cost=400_000_000
    )
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/review/").content.decode()
    assert "50,000,000원 (동일 수준 재지원 한도 적용)" in page
