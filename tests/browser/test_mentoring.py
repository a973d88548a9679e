"""Mentoring in a real browser (issue 5 item 7): staff assign a suggested mentor, the mentor logs a
session, the SME sees it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from mentoring.models import MentoringSession
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ApplicationFactory, MentorFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_staff_assign_a_suggested_mentor_who_logs_a_session_the_sme_sees(new_page):
    staff = UserFactory(role=Role.STAFF)
    application = ApplicationFactory(
        status=Application.Status.SELECTED,
        wants_mentoring=True,
        title="사출 공정 MES 구축",
        company__region="경북",
        company__industry_code="29199",
    )
    owner = UserFactory(role=Role.APPLICANT, company=application.company)
    best = MentorFactory(
        user=UserFactory(role=Role.MENTOR),
        name="박마이스터",
        regions=["경북"],
        ksic_divisions=["29"],
        expertise=["mes", "process"],
    )
    MentorFactory(name="김원거리", regions=["제주"], ksic_divisions=["10"], expertise=["safety"])

    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/#tab-mentoring")
    suggestions = office.get_by_role("table", name="추천 멘토, 점수순")
    first = suggestions.locator("tbody tr").first
    expect(first).to_contain_text("박마이스터")
    expect(first).to_contain_text("경북")
    assert_accessible(office)
    shot(office, "staff-mentor-suggestions")
    first.get_by_role("button", name=re.compile("배정")).click()
    expect(office.locator(".messages")).to_contain_text("멘토를 배정했습니다: 박마이스터")

    mentor = new_page()
    login(mentor, best.user.username)
    mentor.goto("/mentor/")
    mentor.get_by_role("link", name=application.company.name).click()
    mentor.get_by_label("시간").fill("3")
    mentor.get_by_label("내용").fill("사출기 12대 데이터 수집 방식 점검")
    assert_accessible(mentor)
    mentor.get_by_role("button", name="일지 저장").click()
    expect(mentor.locator(".messages")).to_contain_text("멘토링 일지를 저장했습니다.")
    shot(mentor, "mentor-assignment")
    assert MentoringSession.objects.get().hours == 3

    sme = new_page()
    login(sme, owner.username)
    sme.goto(f"/my/applications/{application.pk}/")
    expect(sme.get_by_text("사출기 12대 데이터 수집 방식 점검", exact=False)).to_be_visible()
    expect(sme.get_by_role("heading", name=re.compile("박마이스터"))).to_be_visible()
    shot(sme, "my-mentoring")
