"""Unsaved input kept in the browser belongs to the person who typed it (issue 13 item 13).

Two SMEs share one computer (one browser context): what one typed on /apply/new/ and did not save
must never appear in the other's form, and signing out leaves nothing of it behind.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
TITLE = "A사 미저장 과제명: 비밀 설비 도입"


def drafts_in(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('sf-draft:')).map(k => [k, localStorage.getItem(k)]))"
    )


def sign_out(page) -> None:
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state()


def test_a_draft_is_restored_for_its_author_only_and_cleared_at_sign_out(new_page):
    program = ProgramFactory(title="2026 상생형 스마트공장")
    author, other = UserFactory(applicant=True), UserFactory(applicant=True)
    page = new_page()  # one browser, used by both people in turn

    login(page, author.username)
    page.goto(f"/apply/new/?program={program.pk}")
    page.get_by_label("과제명").fill(TITLE)
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()  # e.g. the tab was closed before saving: the author gets the text back
    expect(page.get_by_role("status")).to_contain_text("저장하지 않은 입력을 복원했습니다.")
    expect(page.get_by_label("과제명")).to_have_value(TITLE)

    sign_out(page)
    assert drafts_in(page) == {}  # nothing typed is left in the browser

    login(page, other.username)
    page.goto(f"/apply/new/?program={program.pk}")
    expect(page.get_by_label("과제명")).to_have_value("")
    expect(page.get_by_role("status")).to_have_count(0)


def test_another_users_draft_left_in_the_browser_is_never_restored(new_page):
    """A copy that outlived its session (no sign-out: the session expired) under the same form."""
    program = ProgramFactory()
    author, other = UserFactory(applicant=True), UserFactory(applicant=True)
    page = new_page()
    login(page, author.username)
    page.goto(f"/apply/new/?program={program.pk}")
    page.get_by_label("과제명").fill(TITLE)
    page.context.clear_cookies()  # the session ends without the sign-out button
    assert any(TITLE in value for value in drafts_in(page).values())

    page.once("dialog", lambda dialog: dialog.accept())
    login(page, other.username)
    page.goto(f"/apply/new/?program={program.pk}")
    expect(page.get_by_label("과제명")).to_have_value("")
    expect(page.get_by_role("status")).to_have_count(0)
    assert not any(TITLE in value for value in drafts_in(page).values())  # and it is gone

    page.goto(f"/apply/new/?program={program.pk}")
    page.get_by_label("과제명").fill("B사 과제")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_label("과제명")).to_have_value("B사 과제")  # B's own draft still comes back
