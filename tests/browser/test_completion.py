"""Completion and the inspection in a browser (SPEC §17): the SME uploads its completion report and
asks for inspection from its checklist; staff record a passing inspection on the 협약·점검 tab and
complete the project. axe-core clean on both sides."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from projects.tests.helpers import funded_project, owner_of
from reports.models import Outcome
from tests.browser.conftest import assert_accessible, login
from tests.factories import UserFactory, settle

pytestmark = [pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
S = Application.Status


def test_report_request_inspection_and_completion(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = UserFactory(role=Role.STAFF)
    application = funded_project(staff)
    owner = owner_of(application)
    for kpi, baseline, result in (("productivity", 100, 125), ("defect_rate", 5, 2), ("lead_time", 10, 6)):
        Outcome.objects.create(
            application=application,
            kpi=kpi,
            baseline=baseline,
            result=result,
            measured_on=timezone.localdate(),
        )

    sme = new_page()
    login(sme, owner.username)
    sme.goto(f"/my/applications/{application.pk}/")
    sme.get_by_role("link", name="완료점검: 완료보고서·성과 결과·점검 결과").click()
    expect(sme.get_by_text("완료보고서: 아직 올리지 않았습니다.")).to_be_visible()
    expect(sme.get_by_role("button", name="완료점검 요청", exact=True)).to_be_disabled()
    sme.get_by_label("완료보고서 파일").set_input_files(
        files=[{"name": "완료보고서.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    sme.get_by_role("button", name="완료보고서 올리기").click()
    expect(sme.get_by_role("link", name="완료보고서.pdf")).to_be_visible()
    assert_accessible(sme)
    sme.get_by_role("button", name="완료점검 요청", exact=True).click()
    sme.get_by_role("dialog", name="완료점검을 요청할까요?").get_by_role(
        "button", name="완료점검 요청"
    ).click()
    expect(sme.get_by_text("완료점검을 요청했습니다. 전담기관의 점검 결과를 기다려 주세요.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.COMPLETION_REVIEW

    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_role("tab", name="협약·점검").click()
    for label in (
        "설치 확인: 협약한 설비·솔루션이 설치되어 있다",
        "가동 확인: 현장에서 실제로 가동되고 있다",
        "데이터 수집 확인: 생산 데이터가 수집되고 있다",
        "생산성(시간당 생산량): 도입 전 100 → 목표 120 · 결과 125",
        "적합",
    ):
        # KRDS draws the box on the label, which takes the click (as a person's would)
        office.locator("#panel-inspection label").filter(has_text=label).first.click()
        expect(office.get_by_label(label, exact=True)).to_be_checked()
    assert_accessible(office)
    office.get_by_role("button", name="점검 기록").click()
    office.get_by_role("dialog", name="완료점검 결과를 기록할까요?").get_by_role(
        "button", name="점검 기록"
    ).click()
    expect(office.get_by_text("완료점검 결과(적합)를 기록했습니다.")).to_be_visible()
    settle(application, staff)  # a confirmed settlement (SPEC §18.3; its pages have their own test)
    office.reload()
    office.get_by_role("button", name="완료", exact=True).click()
    office.get_by_role("dialog", name="완료로 처리할까요?").get_by_role("button", name="완료").click()
    expect(office.get_by_text("처리했습니다.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.COMPLETED

    sme.goto(f"/my/applications/{application.pk}/completion/")
    expect(sme.locator(".inspection-list")).to_contain_text("적합")
    expect(sme.locator(".inspection-list")).to_contain_text("생산성(시간당 생산량) 달성")
