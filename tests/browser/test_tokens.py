"""The API token page (SPEC §20, issue 22 part h4): a user issues a token and sees its key once,
revokes one behind the KRDS confirm modal, and the register is one card per token on a phone,
never a table to scroll sideways; axe-core clean at both widths."""

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import UserFactory, api_token_key

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_issue_a_token_see_its_key_once_and_revoke_one(new_page, width):
    user = UserFactory(username="token-owner", applicant=True)
    api_token_key(user, name="성과 집계 스크립트 (매월 1일 실행, 사내 서버 batch-01)")
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "token-owner")

    page.goto("/account/tokens/")
    page.get_by_label("토큰 이름").fill("ERP 연동")
    page.get_by_role("button", name="새 토큰 발급").click()
    key = page.locator("#issued-key").inner_text().strip()
    assert len(key) == 40 and ApiToken.objects.filter(prefix=key[:8], name="ERP 연동").exists()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.table-scroll').scrollWidth") <= width
    assert_accessible(page)
    shot(page, f"api-tokens-{width}")

    page.goto("/account/tokens/")
    expect(page.locator("#issued-key")).to_have_count(0)  # shown once, on the answer that issued it
    row = page.locator("tbody tr", has_text="ERP 연동")
    row.get_by_role("button", name="폐기").click()
    dialog = page.get_by_role("dialog", name="이 토큰을 폐기할까요?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_be_hidden()
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()

    row.get_by_role("button", name="폐기").click()
    dialog.get_by_role("button", name="폐기").click()
    expect(page.get_by_text("토큰을 폐기했습니다.")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert ApiToken.objects.get(prefix=key[:8]).revoked_at is not None
