"""The inbox in a browser (SPEC §19): the header's unread count, a notice opened from the list marks it
read and lands on its object's page, "모두 읽음"; at 1366 and 390 px, no sideways scroll, axe-clean."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from program.notifications import notify
from tests.browser.conftest import login, shot
from tests.browser.test_layout import _violations
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_sme_reads_its_notices_from_the_header(new_page, width):
    company = CompanyFactory(name="동진기계")
    applicant = UserFactory(role=Role.APPLICANT, company=company)
    application = ApplicationFactory(company=company, status=Application.Status.CHANGES_REQUESTED)
    for n in range(3):
        notify(
            subject=f"[상생형 스마트공장] {application.title}: 보완요청 {n}",
            body="견적서를 다시 올려 주세요.",
            users=[applicant],
            url=reverse("applicants:my-detail", args=[application.pk]),
            kind="application.status",
        )
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, applicant.username)
    page.goto("/inbox/")
    if width >= 1024:
        link = page.locator(".header-utility .inbox-link")
        expect(link).to_contain_text("3")
        expect(link).to_contain_text("읽지 않은 알림 3건")
    expect(page.locator(".inbox-item.unread")).to_have_count(3)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    assert _violations(page) == []
    shot(page, f"inbox-{width}")

    page.locator(".inbox-item button.link").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/my/applications/{application.pk}/")
    page.goto("/inbox/")
    expect(page.locator(".inbox-item.unread")).to_have_count(2)

    page.get_by_role("button", name="모두 읽음").click()
    expect(page.locator(".inbox-item.unread")).to_have_count(0)
    expect(page.locator(".header-utility .inbox-link .krds-badge")).to_have_count(0)
