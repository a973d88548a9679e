"""`/apply/`: sign-up, company registration, the multi-step draft, typed uploads, submission."""

import datetime
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from applicants.models import Application, Attachment, Company
from program.models import AuditEvent, Program
from tests.factories import (
    DECLARATIONS_FORM,
    ApplicationFactory,
    AttachmentFactory,
    EvaluatorAssignmentFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
S = Application.Status
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def errors_of(response) -> dict[str, str]:
    """Field id → its error text, as the page ties them (aria-describedby → the error's id)."""
    page = response.content.decode()
    found = {}
    for field_id, text in re.findall(
        r'<p class="[^"]*field-error" id="(id_[a-z_0-9]+)-error">([^<]*)</p>', page
    ):
        assert re.search(rf'id="{field_id}"[^>]*aria-describedby="[^"]*{field_id}-error', page) or re.search(
            rf'aria-describedby="[^"]*{field_id}-error[^"]*"[^>]*id="{field_id}"', page
        ), f"{field_id}'s error is not tied to it"
        found[field_id.removeprefix("id_")] = text
    return found


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def program():
    return ProgramFactory()


def company_data(**overrides):
    data = {
        "business_number": valid_business_number(),
        "name": "한빛정밀",
        "representative": "김한빛",
        "region": "경북",
        "industry_code": "29199",
        "employees": "42",
        "annual_revenue": "3,500,000,000원",
        "founded_on": "2009-03-02",
        "current_level": "basic",
    }
    data.update(overrides)
    return data


# --- sign-up and company ---------------------------------------------------------------------------


def test_a_visitor_signs_up_then_registers_the_company(
    client, django_capture_on_commit_callbacks, eager_tasks
):
    assert client.get("/apply/")["Location"] == "/apply/signup/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/apply/signup/",
            {
                "username": "hanbit",
                "first_name": "김한빛",
                "email": "kim@hanbit.example",
                "password1": "sturdy-gear-2026",
                "password2": "sturdy-gear-2026",
                "privacy": "on",
            },
        )
    assert response["Location"] == "/apply/signup/sent/"
    # The account is confirmed from the link mailed to the address (applicants/tests/test_signup.py).
    link = re.search(r"http://testserver(/apply/signup/activate/\S+/)", mail.outbox[0].body).group(1)
    assert client.post(link)["Location"] == "/apply/company/"
    user = User.objects.get(username="hanbit")
    assert user.role == Role.APPLICANT and user.company is None
    assert client.get("/apply/")["Location"] == "/apply/company/"

    data = company_data(business_number="")
    number = valid_business_number()
    data["business_number"] = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    response = client.post("/apply/company/", data)
    assert response["Location"] == "/apply/"
    user.refresh_from_db()
    company = user.company
    assert company.business_number == number and company.annual_revenue == 3_500_000_000
    assert AuditEvent.objects.filter(action="company.register", object_id=company.pk).exists()
    assert client.get("/apply/company/")["Location"] == "/apply/"  # only once


def test_a_weak_password_is_refused_on_its_field(client):
    response = client.post(
        "/apply/signup/",
        {
            "username": "x",
            "first_name": "x",
            "email": "x@x.example",
            "password1": "1234",
            "password2": "1234",
            "privacy": "on",
        },
    )
    assert response.status_code == 400
    assert "password2" in errors_of(response)
    assert not User.objects.filter(username="x").exists()


def test_a_wrong_business_number_gets_a_korean_error_on_the_field_and_keeps_the_rest(client, owner):
    owner.company = None
    owner.save()
    client.force_login(owner)
    number = valid_business_number()
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    response = client.post("/apply/company/", company_data(business_number=wrong, name="우리 <b>공장</b>"))
    assert response.status_code == 400
    assert errors_of(response) == {
        "business_number": "유효하지 않은 사업자등록번호입니다. 번호를 다시 확인해 주세요."
    }
    page = response.content.decode()
    assert 'value="우리 &lt;b&gt;공장&lt;/b&gt;"' in page  # what was typed is still there, escaped
    assert Company.objects.count() == 1  # only the fixture's own


def test_a_taken_business_number_is_refused(client, owner):
    taken = owner.company.business_number
    newcomer = UserFactory(role=Role.APPLICANT, company=None)
    client.force_login(newcomer)
    response = client.post("/apply/company/", company_data(business_number=taken))
    assert response.status_code == 400
    assert "이미 등록된 사업자등록번호" in errors_of(response)["business_number"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.EVALUATOR, Role.MENTOR])
def test_other_roles_cannot_use_apply(client, role):
    client.force_login(UserFactory(role=role))
    for url in ("/apply/", "/apply/company/", "/apply/new/"):
        assert client.get(url).status_code == 404


# --- the steps -------------------------------------------------------------------------------------


def test_step_one_creates_the_draft_for_an_open_program_only(client, owner, program):
    closed = ProgramFactory(status=Program.Status.CLOSED, title="마감된 사업")
    client.force_login(owner)
    page = client.get(f"/apply/new/?program={program.pk}").content.decode()
    assert "마감된 사업" not in page
    response = client.post("/apply/new/", {"program": closed.pk, "level": "basic", "title": "과제"})
    assert response.status_code == 400 and "program" in errors_of(response)
    assert not Application.objects.exists()

    supplier = SupplierFactory()
    response = client.post(
        "/apply/new/",
        {"program": program.pk, "level": "basic", "title": "MES 도입", "supplier": supplier.pk, "go": "next"},
    )
    application = Application.objects.get()
    assert response["Location"] == f"/apply/{application.pk}/plan/"
    assert (application.status, application.company, application.supplier) == (
        S.DRAFT,
        owner.company,
        supplier,
    )


def test_the_start_page_offers_only_programs_without_a_live_application(client, owner, program):
    other = ProgramFactory(title="두번째 사업")
    ApplicationFactory(company=owner.company, program=program, status=S.SCREENING)
    ApplicationFactory(company=owner.company, program=other, status=S.WITHDRAWN)  # ended: may apply again
    client.force_login(owner)
    page = client.get("/apply/").content.decode()
    assert f'href="/apply/new/?program={other.pk}"' in page
    assert f'href="/apply/new/?program={program.pk}"' not in page
    assert "진행 중인 신청서 보기" in page and 'id="nothing-to-apply"' not in page


def test_the_start_page_says_so_when_every_open_program_has_a_live_application(
    client, owner, program, django_assert_num_queries
):
    live = ApplicationFactory(company=owner.company, program=program, submitted=True)
    ApplicationFactory(program=program)  # another company's: not in the way
    client.force_login(owner)
    ApplicationFactory(company=owner.company, program=ProgramFactory(), status=S.SELECTED)
    with django_assert_num_queries(
        6
    ):  # session, user, company, drafts, programs with their live one, the header's unread count
        page = client.get("/apply/").content.decode()
    assert "신청서 작성" not in page.split("<h2>모집중인 사업</h2>")[1]
    assert 'id="nothing-to-apply"' in page and 'href="/my/"' in page
    assert f'href="/my/applications/{live.pk}/"' in page


def test_a_program_with_a_live_application_is_refused_on_the_new_form(client, owner, program):
    live = ApplicationFactory(company=owner.company, program=program)
    client.force_login(owner)
    response = client.get(f"/apply/new/?program={program.pk}")
    assert response["Location"] == f"/my/applications/{live.pk}/"
    response = client.post("/apply/new/", {"program": program.pk, "level": "basic", "title": "두 번째"})
    assert response.status_code == 400
    assert "신청할 수 없는 사업입니다" in errors_of(response)["program"]
    assert Application.objects.count() == 1
    assert client.get("/apply/new/")["Location"] == "/apply/"  # nothing left to apply to


def test_editing_a_draft_keeps_its_own_program_a_choice(client, owner, program):
    draft = ApplicationFactory(company=owner.company, program=program)
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/basics/").content.decode()
    assert f'<option value="{program.pk}" selected>' in page
    response = client.post(
        f"/apply/{draft.pk}/basics/", {"program": program.pk, "level": "basic", "title": "새 제목"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "새 제목"


def test_a_refused_total_keeps_the_plan_typed_and_changes_nothing(client, owner, program):
    application = ApplicationFactory(company=owner.company, program=program, plan="옛 계획", total_cost=None)
    client.force_login(owner)
    response = client.post(
        f"/apply/{application.pk}/plan/", {"plan": "새 계획 <script>", "total_cost": "일억"}
    )
    assert response.status_code == 400
    assert errors_of(response) == {
        "total_cost": "금액은 원 단위 숫자로 입력해 주세요(예: 150,000,000 또는 1억 5,000만)."
    }
    page = response.content.decode()
    assert "새 계획 &lt;script&gt;</textarea>" in page and 'value="일억"' in page
    application.refresh_from_db()
    assert application.plan == "옛 계획" and application.total_cost is None


@pytest.mark.parametrize(
    ("typed", "error"),
    [("0", "금액은 1원 이상이어야 합니다."), ("10,000,000,001", "금액은 10,000,000,000원 이하여야 합니다.")],
)
def test_a_total_past_its_edges_is_refused(client, owner, program, typed, error):
    application = ApplicationFactory(company=owner.company, program=program)
    client.force_login(owner)
    response = client.post(f"/apply/{application.pk}/plan/", {"plan": "계획", "total_cost": typed})
    assert errors_of(response) == {"total_cost": error}


def test_the_plan_step_saves_and_shows_the_split(client, owner, program):
    application = ApplicationFactory(company=owner.company, program=program, level="basic", total_cost=None)
    client.force_login(owner)
    response = client.post(
        f"/apply/{application.pk}/plan/", {"plan": "MES로 공정 실시간 관리", "total_cost": "100,000,001원"}
    )
    assert response["Location"] == f"/apply/{application.pk}/plan/"
    application.refresh_from_db()
    assert application.total_cost == 100_000_001
    page = client.get(f"/apply/{application.pk}/plan/").content.decode()
    assert 'value="100,000,001"' in page
    assert "30,000,000원" in page and "40,000,001원" in page  # 3:3:4, 천원 미만 to the SME
    assert f'data-program="{program.pk}"' in page and 'data-preview-url="/api/v1/cost-share/preview/"' in page


def test_a_submitted_application_can_no_longer_be_edited(client, owner, program):
    application = ApplicationFactory(company=owner.company, program=program, status=S.SUBMITTED, title="원래")
    client.force_login(owner)
    for step in ("basics", "plan", "documents", "review"):
        response = client.post(f"/apply/{application.pk}/{step}/", {"title": "바꿈", "level": "basic"})
        assert response["Location"] == f"/my/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.title == "원래" and application.status == S.SUBMITTED


def test_someone_elses_draft_is_404(client, owner, program):
    other = ApplicationFactory(program=program)
    client.force_login(owner)
    for step in ("basics", "plan", "documents", "review"):
        assert client.get(f"/apply/{other.pk}/{step}/").status_code == 404
        assert client.post(f"/apply/{other.pk}/{step}/", {"title": "x"}).status_code == 404


# --- uploads ----------------------------------------------------------------------------------------


def upload(client, application, name, content, kind="business_plan", content_type="application/pdf"):
    return client.post(
        f"/apply/{application.pk}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.fixture
def draft(owner, program):
    return ApplicationFactory(company=owner.company, program=program, total_cost=150_000_000, plan="계획")


@pytest.fixture
def complete_draft(draft):
    """A draft with every document its program requires: ready to submit."""
    for kind in draft.program.required_documents:
        AttachmentFactory(application=draft, kind=kind)
    return draft


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("사업계획서.pdf", PDF),
        ("사업자등록증.PNG", PNG),
        ("견적서.xlsx", None),
        ("재무제표.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
    ],
)
def test_an_allowed_document_is_stored_privately(client, owner, draft, name, content):
    client.force_login(owner)
    content = xlsx_bytes() if content is None else content
    response = upload(client, draft, name, content)
    assert response["Location"] == f"/apply/{draft.pk}/documents/"
    attachment = Attachment.objects.get()
    assert attachment.original_name == name and attachment.size == len(content)
    assert name not in attachment.file.name and attachment.file.name.startswith(
        f"private/applications/{draft.pk}/"
    )
    assert AuditEvent.objects.filter(action="application.attachment_add", object_id=draft.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "error"),
    [
        ("악성.exe", b"MZ\x90\x00", "application/pdf", "올릴 수 없는 파일 형식입니다"),
        (
            "위장.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "application/pdf",
            "파일 내용이 확장자(.pdf)와 맞지 않습니다",
        ),
        ("위장.png", PDF, "image/png", "파일 내용이 확장자(.png)와 맞지 않습니다"),
        (
            "가짜.xlsx",
            b"PK\x03\x04not really a zip",
            "application/zip",
            "파일 내용이 확장자(.xlsx)와 맞지 않습니다",
        ),
        ("빈파일.pdf", b"", "application/pdf", "파일이 비어있습니다"),
        ("확장자없음", PDF, "application/pdf", "올릴 수 없는 파일 형식입니다"),
    ],
)
def test_a_wrong_or_disguised_document_is_refused(client, owner, draft, name, content, content_type, error):
    client.force_login(owner)
    response = upload(client, draft, name, content, content_type=content_type)
    assert response.status_code == 400
    assert error in errors_of(response)["file"]
    assert not Attachment.objects.exists()


def test_an_oversize_document_is_refused(client, owner, draft):
    client.force_login(owner)
    response = upload(client, draft, "큰파일.pdf", PDF + b"0" * (Attachment.MAX_SIZE - len(PDF) + 1))
    assert response.status_code == 400
    assert "파일이 너무 큽니다" in errors_of(response)["file"]
    assert not Attachment.objects.exists()


def test_a_document_is_served_only_to_those_who_may_see_the_application(client, owner, draft):
    client.force_login(owner)
    upload(client, draft, "계획서.pdf", PDF)
    attachment = Attachment.objects.get()
    url = f"/applications/{draft.pk}/attachments/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

    draft.status = S.EVALUATION
    draft.save()
    assigned = EvaluatorAssignmentFactory(application=draft).evaluator
    allowed = [UserFactory(role=Role.STAFF), assigned]
    refused = [UserFactory(applicant=True), UserFactory(role=Role.EVALUATOR), UserFactory(role=Role.MENTOR)]
    refused.append(UserFactory(sponsor_user=True, sponsor=draft.program.sponsor))  # not selected yet
    for user in allowed:
        client.force_login(user)
        assert client.get(url).status_code == 200, user.role
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role
        assert client.get(f"/applications/{draft.pk}/attachments/{attachment.pk + 1}/").status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_owner_deletes_a_document_while_the_draft_is_editable(
    client, owner, draft, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client, draft, "계획서.pdf", PDF)
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    outsider = UserFactory(applicant=True)
    client.force_login(outsider)
    assert client.post(f"/apply/{draft.pk}/documents/{attachment.pk}/delete/").status_code == 404
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/apply/{draft.pk}/documents/{attachment.pk}/delete/")
    assert response["Location"] == f"/apply/{draft.pk}/documents/"
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


# --- review and submit -----------------------------------------------------------------------------


def test_an_incomplete_draft_is_not_submitted(client, owner, program):
    application = ApplicationFactory(company=owner.company, program=program, plan="", total_cost=None)
    client.force_login(owner)
    response = client.post(f"/apply/{application.pk}/review/", DECLARATIONS_FORM)
    assert response.status_code == 400
    assert "제출 전에 입력해 주세요: 사업계획, 총사업비" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_a_complete_draft_is_submitted_from_the_review_step(client, owner, complete_draft):
    draft = complete_draft
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/review/").content.decode()
    assert "제출하기" in page and "150,000,000원" in page
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM)
    assert response["Location"] == f"/my/applications/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.submitted_at is not None


def test_the_review_step_lists_missing_documents_instead_of_the_submit_button(client, owner, draft):
    AttachmentFactory(application=draft, kind="business_plan")
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/review/").content.decode()
    missing = page.split('id="missing-documents"')[1].split("</div>")[0]
    assert (
        "<li>사업자등록증</li>" in missing and "<li>재무제표</li>" in missing and "<li>견적서</li>" in missing
    )
    assert "사업계획서" not in missing
    assert "제출하기" not in page and f'href="/apply/{draft.pk}/documents/"' in missing
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM)  # a stale page's button
    assert response.status_code == 400
    assert "제출 전에 필수 서류를 올려 주세요: 사업자등록증, 재무제표, 견적서" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_documents_step_lists_what_the_program_still_requires(client, owner, program):
    Program.objects.filter(pk=program.pk).update(required_documents=["quote", "business_plan"])
    draft = ApplicationFactory(company=owner.company, program=program)
    AttachmentFactory(application=draft, kind="quote")
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/documents/").content.decode()
    assert "제출 전에 올려야 하는 서류: 사업계획서</p>" in page


def test_a_closed_program_refuses_submission_with_409(client, owner, draft):
    Program.objects.filter(pk=draft.program_id).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(owner)
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM)
    assert response.status_code == 409
    assert "이 사업은 지금 신청을 받지 않습니다." in response.content.decode()


def test_a_change_request_is_answered_and_resubmitted(client, owner, complete_draft):
    draft = complete_draft
    draft.status = S.CHANGES_REQUESTED
    draft.save()
    client.force_login(owner)
    assert "보완요청에 답한 뒤 다시 제출하세요." in client.get(f"/apply/{draft.pk}/review/").content.decode()
    client.post(f"/apply/{draft.pk}/plan/", {"plan": "보완한 계획", "total_cost": "160,000,000"})
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.plan, draft.total_cost) == (S.SUBMITTED, "보완한 계획", 160_000_000)
