"""The participation-ban register (SPEC §15.2) on a phone: one card per ban, each value under its
column's name, never a table to scroll sideways; axe-core clean at both widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ParticipationBanFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_register_fits_the_screen(new_page, width):
    staff = UserFactory(username="ban-clerk")
    today = timezone.localdate()
    ParticipationBanFactory(reason="허위 세금계산서 제출로 보조금을 부정하게 받은 사실이 확인됨 " * 3)
    ParticipationBanFactory(subject_type="supplier", ends_on=None, second_strike=True)
    ParticipationBanFactory(
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today + datetime.timedelta(days=300),
        lifted_on=today,
        lift_note="행정심판 인용",
        lifted_by=staff,
    )
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "ban-clerk")
    page.goto("/staff/bans/?state=all")
    expect(page.get_by_role("heading", name="참여제한", exact=True)).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.table-scroll').scrollWidth") <= width
    assert_accessible(page)
    shot(page, f"bans-register-{width}")
