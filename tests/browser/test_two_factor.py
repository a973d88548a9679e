"""Two-factor sign-in in the browser (SPEC §20): a staff member without a device is held on the setup
page, reads the secret off it into an app (here: computes the code from it), confirms, sees the
recovery codes once, and the next sign-in asks for the app's code."""

import re

import pytest
from playwright.sync_api import expect

from accounts.otp import hex_key_from_base32
from tests.browser.conftest import PASSWORD, assert_accessible, shot
from tests.factories import UserFactory
from tests.two_factor import next_code, past_the_wait, totp_code

pytestmark = [pytest.mark.django_db(transaction=True)]


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_staff_set_up_their_second_factor_then_sign_in_with_a_code(new_page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = UserFactory()
    page = new_page()

    password_step(page, staff.username)
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))
    expect(page.locator("main svg.two-factor-qr")).to_be_visible()
    assert_accessible(page)
    shot(page, "two-factor-setup")
    page.goto("/staff/applications/")  # nothing else opens until it is set up
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))

    secret = page.locator("[data-otp-secret]").inner_text()
    page.get_by_label("인증 코드").fill(totp_code(hex_key_from_base32(secret)))
    page.get_by_role("button", name="설정 완료").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.get_by_role("link", name="계속").click()
    expect(page).to_have_url(re.compile(r"/staff/applications/$"))

    page.get_by_role("button", name="로그아웃").first.click()
    page.wait_for_load_state()
    password_step(page, staff.username)
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/"))
    assert_accessible(page)
    page.get_by_label("인증 코드").fill("000000")
    page.get_by_role("button", name="확인").click()
    expect(page.locator("#form-errors")).to_contain_text("인증 코드가 맞지 않습니다")
    past_the_wait(staff)
    page.get_by_label("인증 코드").fill(next_code(TOTPDevice.objects.get(user=staff)))
    page.get_by_role("button", name="확인").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/staff/applications/")
    expect(page).to_have_url(re.compile(r"/staff/applications/$"))
