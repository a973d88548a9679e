"""A sponsor in a real browser: its dashboard and charts, and no other sponsor's (issue 4 item 9)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from funds.services import contribution_record, disbursement_record
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ApplicationFactory, ProgramFactory, SponsorFactory, UserFactory, deposit_sme_share

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_sponsor_sees_its_dashboard_and_charts_but_not_another_sponsors(new_page):
    staff = UserFactory(role=Role.STAFF)
    sponsor = SponsorFactory(name="LS ELECTRIC")
    other = SponsorFactory(name="다른 주관기관")
    program = ProgramFactory(sponsor=sponsor, gov_budget=3_000_000_000)
    from funds.services import fund_budget_sync

    fund_budget_sync(program=program, actor=staff)
    contribution_record(
        actor=staff,
        program=program,
        amount=3_000_000_000,
        kind="cash",
        purpose="build",
        received_on="2026-03-02",
    )
    for region, cost in (("경북", 100_000_000), ("충북", 200_000_000), ("경북", 150_000_000)):
        application = ApplicationFactory(
            program=program, status=Application.Status.EVALUATION, total_cost=cost, company__region=region
        )
        application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    disbursement_record(
        actor=staff, application=application, amount=40_000_000, kind="advance", paid_on="2026-05-01"
    )
    user = UserFactory(sponsor_user=True, sponsor=sponsor)

    page = new_page()
    login(page, user.username)
    page.goto("/sponsor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("LS ELECTRIC")
    expect(page.locator(".tile").filter(has_text="출연")).to_contain_text("30억 원")
    expect(page.locator(".tile").filter(has_text="지원 기업")).to_contain_text("3")
    for chart in ("chart-by-year", "chart-by-region", "chart-by-level", "chart-partners"):
        expect(page.locator(f"#{chart}")).to_have_attribute("data-drawn", "true")
    drawn = page.evaluate(
        "() => { const c = document.getElementById('chart-by-region');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"
    )
    assert drawn > 1000, "the region chart drew nothing"
    assert_accessible(page)
    shot(page, "sponsor-dashboard")

    response = page.goto(f"/sponsor/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_text("다른 주관기관")).to_have_count(0)
    api = page.request.get(f"/api/v1/sponsors/{other.pk}/dashboard/")
    assert api.status == 404
    assert page.request.get(f"/api/v1/sponsors/{sponsor.pk}/dashboard/").ok
