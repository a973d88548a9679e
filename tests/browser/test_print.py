"""Printing (issue 17 item 9): the staff application page, the ranking and the sponsor dashboard
print as their content on A4 — no header, menu, footer, buttons or forms — and nothing is wider
than the paper (a table is cut neither by its scroll box nor by the page edge)."""

import pytest

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import ApplicationFactory, ProgramFactory, SponsorFactory, UserFactory

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
