"""Printing (issue 17 item 9): the staff application page, the ranking, the sponsor dashboard, the
접수증 (one page) and the 평가표 print as their content on A4 — no header, menu, footer, buttons
or forms — and nothing is wider than the paper (a table is cut neither by its scroll box nor by
the page edge)."""

import re

import pytest

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import ARTIFACTS, axe_run, login, shot
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

A4_WIDTH = 794  # CSS pixels of A4's 210 mm at 96 dpi

WIDEST = """() => {
  const page = document.documentElement.clientWidth;
  let widest = 0;
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0) widest = Math.max(widest, r.right);
  }
  return [document.documentElement.scrollWidth, page, widest];
}"""

HIDDEN = ["#krds-header", ".site-footer", "main button", "main form"]


def test_the_application_ranking_and_dashboard_print_as_their_content(new_page):
    sponsor = SponsorFactory(name="LS ELECTRIC")
    program = ProgramFactory(sponsor=sponsor, title="2026 상생형 스마트공장 구축지원사업")
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, title="MES 기반 품질 추적 시스템 구축"
    )
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    sponsor_user = UserFactory(sponsor_user=True, sponsor=sponsor)
    printed = [
        (staff, "application", f"/staff/applications/{application.pk}/"),
        (staff, "ranking", f"/staff/programs/{program.pk}/ranking/"),
        (sponsor_user, "dashboard", f"/sponsor/{sponsor.pk}/"),
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for user, name, url in printed:
        page = new_page()
        login(page, user.username)
        page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("main h1").first.is_visible(), f"{name}: no heading on screen"
        page.emulate_media(media="print")
        for selector in HIDDEN:
            shown = [el for el in page.locator(selector).all() if el.is_visible()]
            if shown:
                problems.append(f"{name}: {len(shown)} × {selector} printed")
        scroll, width, widest = page.evaluate(WIDEST)
        if scroll > width or widest > width + 1:
            problems.append(f"{name}: {max(scroll, widest):.0f}px on a {width}px page")
        assert page.locator("main h1").first.is_visible(), f"{name}: the heading is not printed"
        page.pdf(path=str(ARTIFACTS / f"print-{name}.pdf"), format="A4", print_background=True)
    assert not problems, "\n".join(problems)


def _pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote (its page objects are not compressed into object streams)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def _printed(page, name: str) -> tuple[list[str], bytes]:
    """What is wrong with the page printed on A4 (chrome shown, wider than the paper), and the PDF."""
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    problems = []
    for selector in HIDDEN:
        shown = [el for el in page.locator(selector).all() if el.is_visible()]
        if shown:
            problems.append(f"{name}: {len(shown)} × {selector} printed")
    scroll, width, widest = page.evaluate(WIDEST)
    if scroll > width or widest > width + 1:
        problems.append(f"{name}: {max(scroll, widest):.0f}px on a {width}px page")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"print-{name}.pdf"), format="A4", print_background=True)
    return problems, pdf


def _all_axe_violations(page) -> list[str]:
    results = axe_run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


def test_the_receipt_prints_on_one_a4_page(new_page):
    program = ProgramFactory(
        title="2026 상생형 스마트공장 구축지원사업", sponsor=SponsorFactory(name="LS ELECTRIC")
    )
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(
        submitted=True,
        program=program,
        company=owner.company,
        title="MES 기반 품질 추적 시스템 구축과 설비 데이터 수집 자동화 (1차년도)",
        total_cost=150_000_000,
    )
    for kind in ("business_registration", "financial_statements", "quote", "business_plan"):
        AttachmentFactory(application=application, kind=kind, original_name=f"{kind}_2026_제출본_최종.pdf")
    page = new_page()
    login(page, owner.username)
    url = f"/my/applications/{application.pk}/receipt/"
    problems = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("button", name="인쇄").is_visible(), "no 인쇄 button on screen"
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{width}px: the page scrolls sideways ({scroll}px)")
        problems += [f"{width}px: {v}" for v in _all_axe_violations(page)]
        shot(page, f"receipt-{width}")
    found, pdf = _printed(page, "receipt")
    problems += found
    text = page.locator("main").inner_text()
    for expected in (
        "접수증",
        application.receipt_number,
        "위와 같이 접수되었음을 확인합니다.",
        "150,000,000원",
    ):
        if expected not in text:
            problems.append(f"receipt: {expected!r} not printed")
    if _pdf_pages(pdf) != 1:
        problems.append(f"receipt: {_pdf_pages(pdf)} pages, not one")
    assert not problems, "\n".join(problems)


def test_the_evaluation_sheet_prints_the_scores_as_text(new_page):
    evaluator = UserFactory(evaluator=True, first_name="평가", last_name="김")
    application = ApplicationFactory(evaluation=True, title="MES 기반 품질 추적 시스템 구축")
    EvaluatorAssignmentFactory(application=application, evaluator=evaluator)
    EvaluationFactory(application=application, evaluator=evaluator, comment="데이터 수집 계획이 구체적임")
    unscored = ApplicationFactory(evaluation=True, title="아직 채점하지 않은 과제")
    EvaluatorAssignmentFactory(application=unscored, evaluator=evaluator)
    page = new_page()
    login(page, evaluator.username)
    problems = []
    for pk, name in ((application.pk, "evaluation-sheet"), (unscored.pk, "evaluation-sheet-empty")):
        page.set_viewport_size({"width": 1366, "height": 900})
        page.emulate_media(media="screen")
        page.goto(f"/evaluations/{pk}/")
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("button", name="평가표 인쇄").is_visible()
        assert not page.locator(".eval-sheet").is_visible(), "the 평가표 shows on screen"
        found, pdf = _printed(page, name)
        problems += found
        sheet = page.locator(".eval-sheet")
        if not sheet.is_visible():
            problems.append(f"{name}: the 평가표 is not printed")
            continue
        text = sheet.inner_text()
        for expected in ("평가표", "항목", "배점", "점수", "의견", "총점", "(서명)", str(evaluator)):
            if expected not in text:
                problems.append(f"{name}: {expected!r} not printed")
        if page.locator("main input:visible, main textarea:visible, main select:visible").count():
            problems.append(f"{name}: form fields printed")
        if _pdf_pages(pdf) != 1:
            problems.append(f"{name}: {_pdf_pages(pdf)} pages")
    page.goto(f"/evaluations/{application.pk}/")
    page.emulate_media(media="print")
    scores = page.locator(".eval-sheet .rubric-table tbody td.num").all_inner_texts()
    assert "80" in page.locator(".eval-sheet tfoot").inner_text() and "25" in scores
    assert "데이터 수집 계획이 구체적임" in page.locator(".eval-sheet").inner_text()
    page.goto(f"/evaluations/{unscored.pk}/")
    page.emulate_media(media="print")
    assert page.locator(".eval-sheet .score-box").count() == 6  # four items, the bonus, the total
    assert not problems, "\n".join(problems)
