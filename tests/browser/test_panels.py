"""The staff application page's panels in a real browser (applicants/panels.py): a refused payment is
re-drawn in place by htmx with its error while the rest of the page stays; a recorded one loads the
page again with its message."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from funds.models import Disbursement
from tests.browser.conftest import login
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, deposit_sme_share, fund_program

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_refused_payment_is_redrawn_in_place_and_the_page_stays(new_page):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, total_cost=100_000_000, title="MES 구축"
    )
    application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)

    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/#tab-funds")  # the payments' tab
    office.wait_for_function("window.htmx !== undefined")
    office.evaluate("document.querySelector('h1').dataset.kept = 'yes'")  # gone if the page reloads
    note = office.locator("#note")
    note.fill("아직 보내지 않은 메모")
    payments = office.locator("#panel-payments")
    payments.get_by_label("지급액(원)").fill("70,000,000")
    payments.get_by_label("지급 구분").select_option("final")
    payments.get_by_label("지급일").fill("2026-06-01")
    payments.get_by_role("button", name="지급 기록").click()
    dialog = office.get_by_role("dialog", name="지급을 기록할까요?")  # static/js/confirm.js
    expect(dialog).to_contain_text("남은 약정액 60,000,000원")
    assert office.locator("#panel-payments #id_amount-error").count() == 0  # htmx waits for the answer
    dialog.get_by_role("button", name="지급 기록").click()

    expect(office.locator("#panel-payments #id_amount-error")).to_be_visible()
    expect(office.locator("#panel-payments #id_amount")).to_have_value("70,000,000")
    expect(office.locator("h1")).to_have_attribute("data-kept", "yes")
    expect(note).to_have_value("아직 보내지 않은 메모")  # the rest of the page is untouched
    expect(office.locator("#panel-mentors")).to_have_count(1)  # in its own tab
    expect(office.locator("#tab-funds")).to_be_visible()  # the tab stays open
    assert office.locator("#panel-payments").count() == 1 and office.locator("html").count() == 1
    assert not Disbursement.objects.exists()

    payments = office.locator("#panel-payments")
    payments.get_by_label("지급액(원)").fill("1,000,000")
    payments.get_by_role("button", name="지급 기록").click()
    office.get_by_role("dialog", name="지급을 기록할까요?").get_by_role("button", name="지급 기록").click()
    expect(office.locator(".messages")).to_contain_text("지급을 기록했습니다.")
    expect(office.locator("h1")).not_to_have_attribute("data-kept", "yes")  # loaded again
    expect(office.locator("#tab-funds")).to_be_visible()  # on the tab it was sent from
    assert Disbursement.objects.get().amount == 1_000_000
