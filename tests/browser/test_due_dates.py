"""보완 기한 in a browser (issue 18 item 4): staff request changes with a due date on the 처리 card;
the SME sees the days left on its home and its application page; axe-core clean, no page-level
horizontal scroll at 390 px."""

import datetime

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
    office.get_by_label("보완 기한 (보완요청에만 적용)").fill(due.isoformat())
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
