"""The funded project's whole path in a real browser (issue 19 item 6, SPEC §16–§17), two people in two
contexts: staff of the program's agency draft and send the agreement on the 협약·점검 tab; the SME's owner
finds the notice, downloads the PDF and signs with its password; staff countersign (협약), start the
build; the SME uploads its completion report, enters a result per KPI target and asks for inspection;
staff record a passing inspection and complete. What each side sees is checked at each step; axe-core
on the SME's agreement and completion pages and the staff tab; no sideways scroll at 390 px; screenshots
at 1366 and 390 px in Korean, and the SME's agreement page in English."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from mentoring.services import add_months
from projects.models import Agreement
from tests.browser.conftest import PASSWORD, assert_accessible, login, shot
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    deposit_sme_share,
    fund_program,
    settle,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
S = Application.Status
TARGETS = (  # kpi, baseline, target, result
    ("productivity", "100", "120", "125"),
    ("defect_rate", "5", "3", "2"),
    ("lead_time", "10", "7", "6"),
)
UNREAD = re.compile(r"읽지 않은 알림 [1-9][0-9]*건")


def _no_sideways_scroll(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways at {inner}px: {scroll}"


def _shots(page, name: str) -> None:
    """The current page at 1366 and 390 px (no sideways scroll on the narrow one), back to 1366. From
    the top, nothing focused: the sticky header and a focus ring would otherwise cross the picture."""
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:
            _no_sideways_scroll(page)
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def _confirm(page, title: str, action: str) -> None:
    page.get_by_role("dialog", name=title).get_by_role("button", name=action, exact=True).click()


def _tick(page, label: str, *, exact: bool = True) -> None:
    """KRDS draws the box on the label, which takes the click (as a person's would)."""
    box = page.get_by_label(label, exact=exact)
    if not box.is_checked():
        page.locator("label").filter(has_text=label).first.click()
    expect(box).to_be_checked()


def _agreement_tab(office, application) -> None:
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_role("tab", name="협약·점검").click()
    expect(office.locator("#panel-agreement")).to_be_visible()


def test_agreement_signatures_build_completion_inspection_and_completion(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = UserFactory(role=Role.STAFF, first_name="", last_name="", username="kim-officer")
    program = ProgramFactory(agency=staff.agency)
    fund_program(program, sponsor=10**10, government=10**10)
    owner = UserFactory(applicant=True)
    supplier = SupplierFactory(name="한빛스마트솔루션")
    application = ApplicationFactory(
        program=program,
        company=owner.company,
        evaluation=True,
        supplier=supplier,
        total_cost=263_500_000,
        title="MES 구축으로 생산관리 고도화",
    )
    application_transition(application=application, action="select", actor=staff)
    starts = timezone.localdate()
    ends = add_months(starts, program.build_months)

    # --- staff draft the agreement and send it ---------------------------------------------------------
    office = new_page()
    office.set_viewport_size({"width": 1366, "height": 900})
    login(office, staff.username)
    _agreement_tab(office, application)
    panel = office.locator("#panel-agreement")
    expect(panel).to_contain_text("작성중")
    panel.get_by_label("협약 시작일").fill(starts.isoformat())
    panel.get_by_label("협약 종료일").fill(ends.isoformat())
    panel.get_by_label("공급기업").select_option(label=supplier.name)
    for n, (kpi, baseline, target, _result) in enumerate(TARGETS, start=1):
        panel.get_by_label(f"성과지표 {n}", exact=True).select_option(kpi)
        panel.get_by_label(f"성과지표 {n} 기준값").fill(baseline)
        panel.get_by_label(f"성과지표 {n} 목표값").fill(target)
    panel.get_by_role("button", name="저장", exact=True).click()
    expect(office.get_by_text("협약 내용을 저장했습니다.")).to_be_visible()
    assert_accessible(office)
    _shots(office, "after-selection-staff-agreement-draft")
    office.locator("#panel-agreement").get_by_role("button", name="협약서 발송").click()
    _confirm(office, "협약서를 발송할까요?", "발송")
    expect(office.get_by_text("협약서를 발송했습니다.")).to_be_visible()
    expect(office.locator("#panel-agreement")).to_contain_text("서명 요청")
    expect(office.locator("#panel-agreement").get_by_role("link", name="협약서 PDF 내려받기")).to_be_visible()
    agreement = Agreement.objects.get(application=application)
    assert agreement.status == Agreement.Status.SENT and len(agreement.document_sha256) == 64

    # --- the SME finds the notice, reads the PDF and signs -----------------------------------------------
    sme = new_page()
    sme.set_viewport_size({"width": 1366, "height": 900})
    login(sme, owner.username)
    expect(sme.locator(".header-utility .inbox-link")).to_contain_text(UNREAD)
    sme.goto("/inbox/")
    notice = sme.locator(".inbox-item.unread").filter(has_text="협약서 서명 요청")
    expect(notice).to_have_count(1)
    notice.locator("button.link").click()
    sme.wait_for_url(f"**/my/applications/{application.pk}/agreement/")
    expect(sme.get_by_role("heading", name="협약", exact=True)).to_be_visible()
    terms = sme.locator("section").filter(has=sme.get_by_role("heading", name="협약 내용"))
    expect(terms).to_contain_text(supplier.name)
    expect(terms).to_contain_text("생산성")
    link = sme.get_by_role("link", name="협약서 PDF 내려받기")
    with sme.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert pathlib_bytes(download.path())[:5] == b"%PDF-"
    answer = sme.request.get(link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body()[:5] == b"%PDF-"
    assert_accessible(sme)
    _shots(sme, "after-selection-sme-agreement-sent")

    sme.get_by_label("비밀번호").fill("not-my-password")
    _tick(sme, "협약 내용을 확인했습니다", exact=False)
    sme.get_by_role("button", name="서명", exact=True).click()
    _confirm(sme, "협약서에 서명할까요?", "서명")
    expect(sme.locator("#id_password-error")).to_have_text("비밀번호가 맞지 않습니다.")
    expect(sme.get_by_label("비밀번호")).to_have_attribute("aria-invalid", "true")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SENT
    sme.get_by_label("비밀번호").fill(PASSWORD)
    _tick(sme, "협약 내용을 확인했습니다", exact=False)
    sme.get_by_role("button", name="서명", exact=True).click()
    _confirm(sme, "협약서에 서명할까요?", "서명")
    expect(sme.get_by_text("협약서에 서명했습니다. 전담기관이 확인하면 협약이 체결됩니다.")).to_be_visible()
    signatures = sme.get_by_role("table", name="서명")
    expect(signatures).to_contain_text("기업")
    expect(signatures.locator("time")).to_have_count(1)
    expect(sme.get_by_role("button", name="서명", exact=True)).to_have_count(0)

    # --- staff countersign: the application is in 협약 -------------------------------------------------
    _agreement_tab(office, application)
    expect(office.locator("#panel-agreement")).to_contain_text("기업 서명")
    office.locator("#panel-agreement").get_by_role("button", name="서명 확인(협약 체결)").click()
    _confirm(office, "협약을 체결할까요?", "서명 확인")
    expect(office.get_by_text("협약을 체결했습니다.")).to_be_visible()
    expect(office.locator(".app-summary")).to_contain_text("협약")
    staff_signatures = office.locator("#panel-agreement").get_by_role("table", name="서명")
    expect(staff_signatures.locator("tbody tr")).to_have_count(2)
    expect(staff_signatures.locator("time")).to_have_count(2)
    application.refresh_from_db()
    assert application.status == S.AGREEMENT
    assert_accessible(office)
    _shots(office, "after-selection-staff-agreement-countersigned")

    # --- staff start the build, once the SME's share is deposited (SPEC §18.2) ----------------------------
    deposit_sme_share(application, recorded_by=staff)
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_role("button", name="구축 시작", exact=True).click()
    _confirm(office, "구축을 시작할까요?", "구축 시작")
    expect(office.get_by_text("처리했습니다.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.BUILDING

    # --- the SME's signed agreement, its changes page (screenshots) --------------------------------------
    sme.goto(f"/my/applications/{application.pk}/agreement/")
    expect(sme.get_by_role("table", name="서명").locator("tbody tr")).to_have_count(2)
    expect(sme.get_by_role("table", name="서명")).to_contain_text("전담기관")
    _shots(sme, "after-selection-sme-agreement-signed")
    sme.goto(f"/my/applications/{application.pk}/changes/")
    expect(sme.get_by_role("heading", name=re.compile("^변경 신청$"))).to_be_visible()
    assert_accessible(sme)
    _shots(sme, "after-selection-sme-changes")

    # --- the SME's completion report, its results and the request ----------------------------------------
    sme.goto(f"/my/applications/{application.pk}/")
    sme.get_by_role("link", name="완료점검: 완료보고서·성과 결과·점검 결과").click()
    expect(sme.get_by_text("완료보고서: 아직 올리지 않았습니다.")).to_be_visible()
    expect(sme.get_by_role("button", name="완료점검 요청", exact=True)).to_be_disabled()
    sme.get_by_label("완료보고서 파일").set_input_files(
        files=[{"name": "완료보고서.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    sme.get_by_role("button", name="완료보고서 올리기").click()
    expect(sme.get_by_role("link", name="완료보고서.pdf")).to_be_visible()
    expect(sme.get_by_role("button", name="완료점검 요청", exact=True)).to_be_disabled()
    sme.get_by_role("link", name="성과 결과 입력").click()
    for kpi, baseline, _target, result in TARGETS:
        block = sme.locator(f"#kpi-{kpi}")
        block.get_by_label("도입 전", exact=True).fill(baseline)
        block.get_by_label("도입 후", exact=True).fill(result)
        block.get_by_label("도입 후 측정일", exact=False).fill(timezone.localdate().isoformat())
    sme.get_by_role("button", name="저장", exact=True).click()
    expect(sme.get_by_text("성과를 저장했습니다.")).to_be_visible()
    sme.goto(f"/my/applications/{application.pk}/completion/")
    for _kpi, _baseline, _target, result in TARGETS:
        expect(sme.locator(".checklist")).to_contain_text(f"결과 {result}")
    request = sme.get_by_role("button", name="완료점검 요청", exact=True)
    expect(request).to_be_enabled()
    assert_accessible(sme)
    _shots(sme, "after-selection-sme-completion")
    request.click()
    _confirm(sme, "완료점검을 요청할까요?", "완료점검 요청")
    expect(sme.get_by_text("완료점검을 요청했습니다. 전담기관의 점검 결과를 기다려 주세요.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.COMPLETION_REVIEW

    # --- staff inspect (pass) and complete --------------------------------------------------------------
    _agreement_tab(office, application)
    inspection = office.locator("#panel-inspection")
    expect(inspection.get_by_role("table", name="협약 성과목표와 입력된 결과")).to_contain_text("125")
    for label in (
        "설치 확인: 협약한 설비·솔루션이 설치되어 있다",
        "가동 확인: 현장에서 실제로 가동되고 있다",
        "데이터 수집 확인: 생산 데이터가 수집되고 있다",
        "생산성(시간당 생산량): 도입 전 100 → 목표 120 · 결과 125",
        "적합",
    ):
        _tick(office, label)
    assert_accessible(office)
    _shots(office, "after-selection-staff-inspection")
    inspection.get_by_role("button", name="점검 기록").click()
    _confirm(office, "완료점검 결과를 기록할까요?", "점검 기록")
    expect(office.get_by_text("완료점검 결과(적합)를 기록했습니다.")).to_be_visible()
    expect(office.locator("#panel-inspection .inspection-list")).to_contain_text("적합")
    settle(application, staff)  # a confirmed settlement (SPEC §18.3; its pages have their own test)
    office.reload()
    office.get_by_role("button", name="완료", exact=True).click()
    _confirm(office, "완료로 처리할까요?", "완료")
    expect(office.get_by_text("처리했습니다.")).to_be_visible()
    expect(office.locator(".app-summary")).to_contain_text("완료")
    application.refresh_from_db()
    assert application.status == S.COMPLETED

    sme.goto(f"/my/applications/{application.pk}/completion/")
    expect(sme.locator(".inspection-list")).to_contain_text("적합")
    expect(sme.locator(".inspection-list")).to_contain_text("생산성(시간당 생산량) 달성")
    _shots(sme, "after-selection-sme-completion-done")

    # --- the SME's agreement page in English ------------------------------------------------------------
    english = new_page("en-US")
    login(english, owner.username)
    english.goto(f"/my/applications/{application.pk}/agreement/")
    english.locator("#lang-select").select_option("en")
    english.locator(".lang-switch").get_by_role("button").click()
    english.wait_for_load_state()
    expect(english.locator("html")).to_have_attribute("lang", "en")
    assert english.url.endswith(f"/my/applications/{application.pk}/agreement/")
    _shots(english, "after-selection-sme-agreement-en")


def pathlib_bytes(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
