"""Every role's main pages at 1366 and 390 px on KRDS (issue 17 items 1, 2, 12; docs/ui.md): the
page never scrolls sideways (wide tables scroll inside their .table-scroll box), below 1024 px the
전체메뉴 button opens KRDS's mobile menu, axe-core finds no violation at any level, and a screenshot
of each page is kept in test-artifacts/screenshots/<page>-<width>.png."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import ARTIFACTS, axe_run, login
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    EvaluatorAssignmentFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

# axe rules that KRDS's own markup or CSS breaks and our templates cannot fix: rule id -> why.
# Empty: every finding fails the test.
KRDS_KNOWN: dict[str, str] = {}


def _violations(page) -> list[str]:
    found = []
    for violation in axe_run(page).response["violations"]:
        if violation["id"] in KRDS_KNOWN:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:4]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


def _world():
    sponsor = SponsorFactory(name="LS ELECTRIC")
    program = ProgramFactory(sponsor=sponsor, title="2026 상생형 스마트공장 구축지원사업")
    company = CompanyFactory(name="동진기계")
    applicant = UserFactory(role=Role.APPLICANT, company=company)
    application = ApplicationFactory(
        program=program,
        company=company,
        status=Application.Status.EVALUATION,
        title="MES 품질 추적",
    )
    evaluator = UserFactory(role=Role.EVALUATOR)
    EvaluatorAssignmentFactory(application=application, evaluator=evaluator)
    mentor = MentorFactory()
    MentoringAssignmentFactory(application=application, mentor=mentor)
    return {
        None: [("public-home", "/"), ("login", "/accounts/login/")],
        applicant.username: [("apply", "/apply/"), ("my", "/my/")],
        UserFactory(role=Role.STAFF).username: [
            ("staff-queue", "/staff/applications/"),
            ("staff-application", f"/staff/applications/{application.pk}/"),
            ("programs", "/staff/programs/"),
            ("reports", "/reports/"),
            ("audit", "/staff/audit/"),
        ],
        UserFactory(sponsor_user=True, sponsor=sponsor).username: [("sponsor", f"/sponsor/{sponsor.pk}/")],
        evaluator.username: [("evaluations", "/evaluations/")],
        mentor.user.username: [("mentor", "/mentor/")],
        UserFactory(role=Role.MINISTRY).username: [("ministry", "/staff/applications/")],
    }


@pytest.mark.parametrize("width", [1366, 390])
def test_every_main_page_fits_the_screen_has_its_menu_and_passes_axe(new_page, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for username, pages in _world().items():
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        if username:
            login(page, username)
        for name, url in pages:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{name} at {width}px: the page is {scroll}px wide")
            problems += [f"{name} at {width}px: {v}" for v in _violations(page)]
        menu_button = page.get_by_role("button", name="전체메뉴")
        if width < 1024:
            expect(menu_button).to_be_visible()
            menu_button.click()
            expect(page.locator("#mobile-nav")).to_be_visible()
            expect(page.locator("#mobile-nav .mobile-links a").first).to_be_focused()
            page.keyboard.press("Escape")
            expect(page.locator("#mobile-nav")).to_be_hidden()
            expect(menu_button).to_be_focused()
        else:
            expect(menu_button).to_be_hidden()
            expect(page.locator("nav.krds-main-menu")).to_be_visible()
    assert not problems, "\n".join(problems)
