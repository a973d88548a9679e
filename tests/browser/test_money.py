"""The money rule in the browser (issue 17, items 4, 10, 11): the total cost typed in 억/만 with the
split following it, apply.js's parser against the same cases as config.money.parse_won, and the
English dashboard without 억."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from funds.services import contribution_record, fund_budget_sync
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ApplicationFactory, ProgramFactory, SponsorFactory, UserFactory, fund_program
from tests.test_money import PARSE_CASES

pytestmark = [pytest.mark.django_db(transaction=True)]
TOTAL = "총사업비(원, 부가세 제외)"


@pytest.fixture
def plan_page(new_page):
    program = ProgramFactory(gov_ratio=30, sponsor_ratio=30, sme_ratio=40)
    fund_program(program, sponsor=5_000_000_000, government=5_000_000_000)
    owner = UserFactory(applicant=True)
    application = Application.objects.create(
        program=program, company=owner.company, level="basic", title="금액 입력", created_by=owner
    )
    page = new_page()
    login(page, owner.username)
    page.goto(f"/apply/{application.pk}/plan/")
    return page


def test_the_total_typed_in_eok_updates_the_split(plan_page):
    page = plan_page
    page.get_by_label(TOTAL).press_sequentially("1억 5,000만")
    preview = page.locator("#preview-result")
    expect(preview.locator("[data-part=total]")).to_have_text("150,000,000원")
    expect(preview.locator("[data-part=government]")).to_have_text("45,000,000원")
    expect(preview.locator("[data-part=sme]")).to_have_text("60,000,000원")
    shot(page, "apply-total-in-eok")
    page.get_by_label(TOTAL).fill("")
    page.get_by_label(TOTAL).press_sequentially("5억")
    expect(preview.locator("[data-part=total]")).to_have_text("500,000,000원")


def test_digits_are_grouped_as_typed(plan_page):
    field = plan_page.get_by_label(TOTAL)
    field.press_sequentially("150000000")
    expect(field).to_have_value("150,000,000")
    field.press("Home")
    field.press("ArrowRight")
    field.press("Delete")  # the 5 of 150,…: the caret stays after the 1
    expect(field).to_have_value("10,000,000")
    field.type("2")
    expect(field).to_have_value("120,000,000")


def test_full_width_digits_are_named(plan_page):
    plan_page.get_by_label(TOTAL).press_sequentially("５억")
    expect(plan_page.locator("#preview-result [data-part=error]")).to_contain_text("반각 숫자")


def test_apply_js_reads_every_case_as_parse_won_does(plan_page):
    typed = [case for case, _expected in PARSE_CASES]
    got = plan_page.evaluate(
        "(cases) => cases.map((c) => { const n = window.smartFactoryParseWon(c);"
        " return n === null || Number.isNaN(n) ? null : n; })",
        typed,
    )
    assert dict(zip(typed, got, strict=True)) == dict(PARSE_CASES)


def test_the_english_dashboard_has_no_korean_units(new_page):
    staff = UserFactory(role=Role.STAFF)
    sponsor = SponsorFactory(name="LS ELECTRIC")
    program = ProgramFactory(sponsor=sponsor, gov_budget=3_000_000_000)
    fund_budget_sync(program=program, actor=staff)
    contribution_record(
        actor=staff,
        program=program,
        amount=3_000_000_000,
        kind="cash",
        purpose="build",
        received_on="2026-03-02",
    )
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, total_cost=263_500_000
    )
    application_transition(application=application, action="select", actor=staff)
    user = UserFactory(sponsor_user=True, sponsor=sponsor)

    for width in (1366, 390):
        page = new_page("en-US")
        page.set_viewport_size({"width": width, "height": 900})
        login(page, user.username)
        page.goto("/sponsor/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#chart-by-year")).to_have_attribute("data-drawn", "true")
        expect(page.locator(".tile").first).to_contain_text("₩3B")
        body = page.locator("main").inner_text()
        assert "억" not in body and "만 원" not in body
        ticks = page.evaluate("() => Chart.getChart('chart-by-year').scales.y.ticks.map((t) => t.label)")
        assert ticks and all("억" not in str(t) and "만" not in str(t) for t in ticks), ticks
        assert any("₩" in str(t) for t in ticks), ticks
        # The yearly table fits its card: nothing cut off at the right.
        clipped = page.evaluate(
            "() => { const t = document.querySelector('#chart-by-year ~ .table-scroll table');"
            " const box = t.parentElement.getBoundingClientRect();"
            " return t.getBoundingClientRect().right - box.right; }"
        )
        scroller = page.evaluate(
            "() => { const t = document.querySelector('#chart-by-year ~ .table-scroll table');"
            " let e = t.parentElement;"
            " while (e && getComputedStyle(e).overflowX === 'visible') e = e.parentElement;"
            " return e ? getComputedStyle(e).overflowX : 'none'; }"
        )
        assert clipped <= 1 or scroller in ("auto", "scroll"), (
            f"the yearly table is clipped by {clipped}px at {width}"
        )
        assert_accessible(page)
        shot(page, f"sponsor-dashboard-en-{width}")
