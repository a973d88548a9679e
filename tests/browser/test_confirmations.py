"""The KRDS confirmation modal on the staff application page (static/js/confirm.js, issue 17 item 5):
선정 opens the dialog with what each pot will commit; 취소 leaves the application as it was; confirming
selects it and commits the money. 탈락 asks in the destructive style."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from funds.models import LedgerEntry
from funds.services import cost_share_compute
from tests.browser.conftest import assert_accessible, login
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_select_asks_with_the_amounts_cancel_keeps_and_confirm_selects(new_page):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, total_cost=100_000_000, level="basic"
    )
    cost_share_compute(application=application)

    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/")
    select = office.get_by_role("button", name="선정", exact=True)
    select.click()
    dialog = office.get_by_role("dialog", name="선정할까요?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("정부 3,000만 원·주관기관 3,000만 원이 약정됩니다.")
    ok = dialog.get_by_role("button", name="선정", exact=True)
    expect(office.locator("#confirm-modal")).to_have_class(re.compile(r"\bin\b"))
    expect(ok).not_to_have_class("danger")
    expect(ok).to_be_focused()  # keyboard users land on the decision
    assert_accessible(office)

    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_be_hidden()
    application.refresh_from_db()
    assert application.status == Application.Status.EVALUATION
    assert not LedgerEntry.objects.filter(application=application).exists()

    # 탈락 asks too, in red; Escape shuts it and nothing happens
    office.get_by_role("button", name="탈락", exact=True).click()
    reject = office.get_by_role("dialog", name="탈락 처리할까요?")
    expect(reject.get_by_role("button", name="탈락", exact=True)).to_have_class("krds-btn medium danger")
    office.keyboard.press("Escape")
    expect(reject).to_be_hidden()
    expect(office.get_by_role("button", name="탈락", exact=True)).to_be_focused()  # back where it was

    select.click()
    dialog.get_by_role("button", name="선정", exact=True).click()
    expect(office.locator(".status").first).to_have_text("선정")
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    assert sorted(LedgerEntry.objects.filter(application=application).values_list("amount", flat=True)) == [
        30_000_000,
        30_000_000,
    ]
