"""The staff application page (applicants/templates/applicants/staff/detail.html): the summary header
with the company's and the application's facts, the document checklist, a confirmation on every
처리 button, and a refused action answered at its note with the note kept."""

import re

import pytest

from applicants.models import Application
from applicants.services import application_transition
from applicants.workflow import STAFF, actions_for
from program.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CompanyFactory,
    ProgramFactory,
    SponsorFactory,
    fund_program,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _page(client, application, **kwargs) -> str:
    return client.get(f"/staff/applications/{application.pk}/", **kwargs).content.decode()


def _summary(page: str) -> str:
    start = page.index('<header class="app-summary"')
    return page[start : page.index("</header>", start)]


def _dd(page: str, label: str) -> str:
    """The value the summary shows for `label`."""
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>(.*?)</dd>", page, re.S)
    assert found, label
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_summary_header_shows_the_company_and_the_application(staff_client):
    sponsor = SponsorFactory(name="LS ELECTRIC")
    company = CompanyFactory(
        name="한빛정밀",
        business_number="3148629574",
        representative="김대표",
        employees=42,
        annual_revenue=8_150_000_000,
        current_level="basic",
        is_sponsor_partner=True,
        partner_of=sponsor,
    )
    program = ProgramFactory(sponsor=sponsor, title="2026 상생형 스마트공장", year=2026)
    application = ApplicationFactory(
        program=program, company=company, status=S.SCREENING, total_cost=150_000_000
    )
    page = _page(staff_client, application)
    header = page[
        page.index('<header class="app-summary"') : page.index("</header>", page.index("app-summary"))
    ]
    assert "2026 상생형 스마트공장" in header and program.agency.name in header
    assert 'class="krds-badge' in header and "요건검토" in header
    assert _dd(header, "기업명") == "한빛정밀"
    assert '<dd class="ident">314-86-29574</dd>' in header
    assert _dd(header, "대표자") == "김대표"
    assert _dd(header, "지역") == "경기" and _dd(header, "업종") == "29199"
    assert _dd(header, "상시근로자 수") == "42명"
    assert _dd(header, "연매출액") == "8,150,000,000원"
    # SHORT_DATE_FORMAT (config/formats/ko): no break inside a date
    assert _dd(header, "설립일") == "2010.\xa03.\xa01."
    assert _dd(header, "주관기관 협력사") == "LS ELECTRIC"
    assert _dd(header, "총사업비") == "150,000,000원"
    assert _dd(header, "공급기업") == "–" and _dd(header, "평가점수") == "–"


def test_the_summary_shows_the_split_once_there_is_one(
    staff_client, staff, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    application = ApplicationFactory(program=program, status=S.EVALUATION, total_cost=100_000_000)
    assert "<dt>정부</dt>" not in _summary(_page(staff_client, application))
    with django_capture_on_commit_callbacks(execute=True):  # the split is computed after the commit
        application_transition(application=application, action="select", actor=staff)
    split = Application.objects.get(pk=application.pk).cost_share
    header = _summary(_page(staff_client, application))
    assert _dd(header, "정부").startswith(f"{split.government:,}원")
    assert _dd(header, "주관기관") == f"{split.sponsor:,}원" and _dd(header, "기업") == f"{split.sme:,}원"


def test_the_checklist_marks_required_documents_submitted_or_missing(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(required_documents=["business_registration", "business_plan", "quote"])
    application = ApplicationFactory(program=program, status=S.SUBMITTED)
    AttachmentFactory(application=application, kind="business_plan", original_name="계획서.pdf")
    AttachmentFactory(
        application=application,
        kind="financial_statements",
        original_name="재무.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    AttachmentFactory(
        application=application, kind="quote", original_name="견적.png", content_type="image/png"
    )
    page = _page(staff_client, application)
    documents = page[page.index('id="panel-documents"') :]
    items = re.findall(
        r'<li class="checklist-item">(.*?)</li>\s*(?=<li class="checklist-item">|</ul>\s*</section>)',
        documents,
        re.S,
    )
    kinds = [re.search(r'<h3 class="checklist-kind">(.*?)</h3>', item).group(1) for item in items]
    assert kinds == [
        "사업자등록증",
        "사업계획서",
        "견적서",
        "재무제표",
    ]  # the program's order, then the others
    registration, plan, quote, statements = items
    assert "미제출" in registration and "✗" in registration and "outline-danger" in registration
    assert "✓" in plan and "계획서.pdf" in plan and "outline-success" in plan
    assert "선택 서류" in statements and "재무.xlsx" in statements
    assert "필수 서류 1종이 아직 제출되지 않았습니다." in documents
    # a PDF previews in a frame made on demand, an image as an image; a spreadsheet only downloads
    pdf = AttachmentFactory._meta.model.objects.get(original_name="계획서.pdf")
    assert f'data-preview-src="/applications/{application.pk}/attachments/{pdf.pk}/?inline=1"' in plan
    assert "미리보기" in plan and f'href="/applications/{application.pk}/attachments/{pdf.pk}/"' in plan
    assert '<img src="/applications/' in quote and '?inline=1" alt="견적.png"' in quote
    assert "미리보기" not in statements and "?inline=1" not in statements
    assert re.search(
        r'<span class="file-meta"><span class="num">9\s\S+</span>', plan
    )  # its size, and its date
    assert re.search(r"<time datetime=\"[^\"]+\">\d{4}\.\xa0\d{1,2}\.\xa0\d{1,2}\.</time>", plan)


def test_with_every_document_the_checklist_says_so(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(required_documents=["business_plan"])
    application = ApplicationFactory(program=program, status=S.SUBMITTED)
    AttachmentFactory(application=application, kind="business_plan")
    assert "필수 서류를 모두 제출했습니다." in _page(staff_client, application)


@pytest.mark.parametrize(
    "status",
    [S.SUBMITTED, S.SCREENING, S.EVALUATION, S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW],
)
def test_every_action_button_asks_first_and_what_cannot_be_undone_is_danger(staff_client, status):
    application = ApplicationFactory(status=status)
    page = _page(staff_client, application)
    buttons = re.findall(r'<button type="submit" name="action" value="([a-z_]+)"([^>]*)>', page)
    assert {action for action, _attrs in buttons} == {
        t.action for t in actions_for(status, STAFF) if not t.elsewhere
    }
    # 협약 체결 is the agreement's countersignature (SPEC §16): the card says where, no button answers 409
    assert ("협약·점검 탭에서" in page) == (status == S.SELECTED)
    for action, attrs in buttons:
        assert 'data-confirm="' in attrs and "data-confirm-title=" in attrs, action
        assert ("data-confirm-danger" in attrs) == (action in {"reject", "withdraw", "terminate"}), action
        assert ('class="danger"' in attrs) == (action in {"reject", "withdraw", "terminate"}), action


def test_a_missing_note_is_answered_at_the_note_with_the_page_and_nothing_changes(staff_client):
    application = ApplicationFactory(status=S.SCREENING)
    url = f"/staff/applications/{application.pk}/transition/"
    response = staff_client.post(url, {"action": "reject", "note": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<div class="field form-group has-error">' in page
    assert 'aria-invalid="true" aria-describedby="note-error"' in page
    error = "&#x27;탈락&#x27;에는 사유를 입력해야 합니다."
    assert f'<p class="field-error form-hint-invalid" id="note-error">{error}</p>' in page
    assert 'class="messages' not in page  # at the field, not a flash at the top
    application.refresh_from_db()
    assert application.status == S.SCREENING
    assert not AuditEvent.objects.filter(action="application.reject").exists()


def test_a_refused_action_keeps_the_typed_note(staff_client):
    application = ApplicationFactory(status=S.SCREENING)
    url = f"/staff/applications/{application.pk}/transition/"
    response = staff_client.post(url, {"action": "complete", "note": "점검 <완료> 메모"})
    assert response.status_code == 409
    page = response.content.decode()
    assert ">점검 &lt;완료&gt; 메모</textarea>" in page and 'id="note-error"' in page
    application.refresh_from_db()
    assert application.status == S.SCREENING


def test_an_accepted_action_redirects_without_an_error(staff_client):
    application = ApplicationFactory(status=S.SCREENING)
    url = f"/staff/applications/{application.pk}/transition/"
    response = staff_client.post(url, {"action": "request_changes", "note": "견적서를 다시 올려 주세요."})
    assert response.status_code == 302 and response["Location"] == f"/staff/applications/{application.pk}/"
    page = _page(staff_client, application)
    assert "aria-invalid" not in page and "처리했습니다." in page
