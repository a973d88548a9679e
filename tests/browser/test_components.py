"""KRDS breadcrumb, pagination and side navigation in a real browser (issue 17 item 1): at 1366 and
390 px the page never scrolls sideways, axe finds nothing, and each is used by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import ARTIFACTS, assert_accessible, login
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program

pytestmark = [pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url}: the page is {scroll}px wide at {inner}px"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_queue_pages_by_keyboard_keeping_its_filters(new_page, width):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(title="2026 상생형 스마트공장 (경북)")
    ApplicationFactory.create_batch(130, program=program, status="submitted")  # seven pages of 20

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, staff.username)
    page.goto("/staff/applications/?status=submitted&page=4")
    pagination = page.get_by_role("navigation", name="쪽 이동")
    expect(pagination.locator("[aria-current=page]")).to_have_text(re.compile(r"4$"))
    expect(pagination.locator(".link-dot")).to_have_count(0)  # 1 … 7 all within two of page 4
    _fits(page)
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"components-pagination-{width}.png"), full_page=True)

    pagination.get_by_role("link", name="다음").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=5"))
    assert "status=submitted" in page.url
    expect(page.get_by_role("navigation", name="쪽 이동").locator("[aria-current=page]")).to_have_text(
        re.compile(r"5$")
    )
    page.goto("/staff/applications/?status=submitted&page=7")
    expect(page.get_by_role("navigation", name="쪽 이동").locator(".page-navi.next.disabled")).to_be_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_fund_page_has_its_breadcrumb_and_side_navigation(new_page, width):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(title="2026 상생형 스마트공장 구축지원사업 (경상북도 전자·섬유 특화 트랙)")
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, staff.username)
    page.goto(f"/staff/programs/{program.pk}/fund/")
    crumbs = page.get_by_role("navigation", name="현재 경로")
    expect(crumbs.locator("[aria-current=page]")).to_have_text("재원 현황")
    sidenav = page.locator("nav.krds-side-navigation")
    expect(sidenav.get_by_role("link", name="재원")).to_have_attribute("aria-current", "page")
    _fits(page)
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"components-fund-{width}.png"), full_page=True)

    # Beside the content on a desktop, above it on a phone.
    nav_box, table_box = (
        sidenav.bounding_box(),
        page.locator(".with-sidenav .table-scroll").first.bounding_box(),
    )
    assert nav_box and table_box
    if width >= 1024:
        assert nav_box["x"] + nav_box["width"] <= table_box["x"]
    else:
        assert nav_box["y"] + nav_box["height"] <= table_box["y"]

    sidenav.get_by_role("link", name="선정 순위").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/staff/programs/{program.pk}/ranking/"))
    page.goto(f"/staff/programs/{program.pk}/fund/")
    up = page.get_by_role("navigation", name="현재 경로").get_by_role("link", name="사업 관리")
    up.focus()  # on a phone KRDS shows only 홈 … 재원 현황; the focused crumb shows itself
    expect(up).to_be_visible()
    assert (up.bounding_box() or {"width": 0})["width"] > 20
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/programs/$"))
