"""문의·답변 in a browser (SPEC §19): staff write an internal note and a message to the SME on the
메시지 tab, the thread re-drawn in place; the SME reads only the message and answers on its page;
staff see the answer. Both pages axe-clean and without horizontal scroll at 1366 and 390 px."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application():
    return ApplicationFactory(status=Application.Status.SCREENING, title="MES 기반 품질 추적 시스템 구축")


def _no_overflow(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{scroll}px wide at {inner}px"


def _send(page, text: str, *, internal: bool = False) -> None:
    form = page.locator("form.message-form")
    form.locator("textarea[name=body]").fill(text)
    if internal:
        form.locator("label[for=message-visibility-internal]").click()  # KRDS draws the radio on its label
    form.get_by_role("button", name="보내기").click()


def test_staff_note_and_message_the_sme_reads_one_and_answers(new_page, application):
    owner = UserFactory(role=Role.APPLICANT, company=application.company)
    office = new_page()
    login(office, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    office.goto(f"/staff/applications/{application.pk}/#tab-messages")
    expect(office.locator("#tab-messages")).to_be_visible()

    _send(office, "재무제표 수치가 견적과 맞지 않음 — 현장 확인 필요", internal=True)
    thread = office.locator("#panel-messages .message-thread")
    expect(thread.locator(".message-internal")).to_contain_text("재무제표 수치가")
    expect(thread.locator(".message-internal .krds-badge")).to_have_text("내부 메모")
    _send(office, "견적서 원본을 올려 주세요.")
    expect(thread.locator(".message")).to_have_count(2)
    expect(office.locator("#panel-messages textarea[name=body]")).to_have_value("")

    sme = new_page()
    login(sme, owner.username)
    sme.goto(f"/my/applications/{application.pk}/")
    section = sme.locator("#messages")
    expect(section).to_contain_text("견적서 원본을 올려 주세요.")
    expect(section).not_to_contain_text("재무제표")
    expect(sme.locator("body")).not_to_contain_text("내부 메모")
    expect(section.locator("input[name=visibility][type=radio]")).to_have_count(0)

    _send(sme, "")  # nothing typed: the error at the field, nothing sent
    expect(sme.locator("#message-body-error")).to_have_text("내용을 입력해 주세요.")
    _send(sme, "원본 견적서를 첨부해 다시 올렸습니다.")
    expect(sme.locator("#messages .message")).to_have_count(2)
    for width in (1366, 390):
        sme.set_viewport_size({"width": width, "height": 900})
        _no_overflow(sme)
        assert_accessible(sme)
        shot(sme, f"messages-sme-{width}")

    office.reload()
    office.goto(f"/staff/applications/{application.pk}/#tab-messages")
    expect(office.locator("#panel-messages .message")).to_have_count(3)
    expect(office.locator("#panel-messages")).to_contain_text("원본 견적서를 첨부해")
    for width in (1366, 390):
        office.set_viewport_size({"width": width, "height": 900})
        _no_overflow(office)
        assert_accessible(office)
        shot(office, f"messages-staff-{width}")
