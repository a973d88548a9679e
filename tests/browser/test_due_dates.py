"""보완 기한 in a browser (issue 18 item 4): staff request changes with a due date on the 처리 card;
the SME sees the days left on its home and its application page; axe-core clean, no page-level
horizontal scroll at 390 px."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import assert_accessible, login
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_staff_set_a_due_date_and_the_sme_sees_the_days_left(new_page):
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(
        company=owner.company,
        status=Application.Status.SCREENING,
        submitted_at=timezone.now(),
        title="MES 구축",
    )
    due = timezone.localdate() + datetime.timedelta(days=7)

    office = new_page()
    login(office, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_label("사유·메모 (보완요청·탈락은 필수)").fill("견적서를 다시 올려 주세요.")
    office.get_by_label("보완 기한 (보완요청·보완(재점검)에 적용)").fill(due.isoformat())
    office.get_by_role("button", name="보완요청", exact=True).click()
    office.get_by_role("dialog", name="보완을 요청할까요?").get_by_role("button", name="보완요청").click()
    expect(office.locator(".app-summary .due-line")).to_contain_text("7일 남음")
    assert_accessible(office)
    application.refresh_from_db()
    assert application.changes_due_on == due

    sme = new_page()
    sme.set_viewport_size({"width": 390, "height": 844})
    login(sme, owner.username)
    sme.goto("/")
    expect(sme.locator(".home-cards .due-line")).to_contain_text("7일 남음")
    sme.goto(f"/my/applications/{application.pk}/")
    expect(sme.locator(".notice .due-line")).to_contain_text("보완 기한")
    assert sme.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(sme)


def test_a_change_request_from_the_inbox_to_the_answer_and_the_resubmission(new_page):
    """Issue 18 item 5 end to end: staff request changes with a due date; the SME finds the
    notification in its inbox (the header's unread count), opens it onto its application, answers in
    the thread and resubmits; staff see the answer beside an internal note the SME never saw."""
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(
        company=owner.company,
        status=Application.Status.SCREENING,
        submitted_at=timezone.now(),
        documents=True,
        title="MES 구축",
    )
    office = new_page()
    login(office, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_label("사유·메모 (보완요청·탈락은 필수)").fill("견적서를 다시 올려 주세요.")
    office.get_by_role("button", name="보완요청", exact=True).click()
    office.get_by_role("dialog", name="보완을 요청할까요?").get_by_role("button", name="보완요청").click()
    expect(office.locator(".app-summary .due-line")).to_contain_text("14일 남음")  # the default
    office.goto(f"/staff/applications/{application.pk}/#tab-messages")
    form = office.locator("form.message-form")
    form.locator("textarea[name=body]").fill("견적 단가 재확인 필요")
    form.locator("label[for=message-visibility-internal]").click()
    form.get_by_role("button", name="보내기").click()
    expect(office.locator("#panel-messages .message-internal")).to_contain_text("견적 단가")

    sme = new_page()
    login(sme, owner.username)
    sme.goto("/")
    header_link = sme.locator("#krds-header .inbox-link").first
    expect(header_link).to_contain_text("읽지 않은 알림 1건")
    header_link.click()
    notice = sme.locator(".inbox-item.unread")
    expect(notice).to_contain_text("견적서를 다시 올려 주세요.")
    assert_accessible(sme)
    notice.get_by_role("button").click()
    expect(sme).to_have_url(re.compile(rf"/my/applications/{application.pk}/$"))
    expect(sme.locator("#krds-header .inbox-link").first).not_to_contain_text("읽지 않은")
    thread = sme.locator("#messages")
    expect(thread).to_contain_text("견적서를 다시 올려 주세요.")  # the request's note opened the thread
    expect(thread).not_to_contain_text("견적 단가")
    thread.locator("textarea[name=body]").fill("견적서를 새로 받아 올렸습니다.")
    thread.get_by_role("button", name="보내기").click()
    expect(sme.locator("#messages .message")).to_have_count(2)
    for label in sme.locator("#declarations label").all():  # SPEC §15.1; KRDS's label takes the click
        label.click()
    sme.get_by_role("button", name="제출", exact=True).click()
    sme.get_by_role("dialog", name="신청서를 제출할까요?").get_by_role("button", name="제출").click()
    expect(sme.locator(".krds-badge.status")).to_have_text("접수")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.changes_due_on is None

    office.reload()  # the same URL: going to it again would only move to the fragment
    thread = office.locator("#panel-messages")
    expect(thread).to_contain_text("견적서를 새로 받아 올렸습니다.")
    expect(thread.locator(".message")).to_have_count(3)
