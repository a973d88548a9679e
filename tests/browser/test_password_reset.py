"""Password reset in a browser (SPEC §20, issue 22 item 3): from the login page's link to a new
password by the mailed link, then the profile from the header; axe-clean, nothing blocked by the CSP."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_layout import _violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
NEW = "sturdy-gear-2026"


def test_a_forgotten_password_is_reset_by_the_mailed_link(new_page, live_server, eager_tasks):
    UserFactory(username="kim-officer", email="kim@factory.example", first_name="김담당")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="비밀번호를 잊으셨나요?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("비밀번호 재설정")
    assert _violations(page) == []
    shot(page, "password-reset")
    page.fill("#id_email", "kim@factory.example")
    page.get_by_role("button", name="재설정 링크 받기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("재설정 메일을 확인해 주세요")

    assert [message.to for message in mail.outbox] == [["kim@factory.example"]]
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("새 비밀번호 정하기")
    assert "set-password" in page.url  # the token left the address bar
    assert _violations(page) == []
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.get_by_role("button", name="비밀번호 바꾸기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("비밀번호를 바꿨습니다")

    login(page, "kim-officer", NEW)
    page.locator(".header-utility").get_by_role("link", name="내 정보").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("내 정보")
    expect(page.locator("#id_first_name")).to_have_value("김담당")
    assert _violations(page) == []
    shot(page, "profile")
