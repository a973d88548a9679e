"""The 지원 이력 panel (SPEC §15.4) in a browser: the three warnings and five rows of history on the staff
application page's overview, axe-core clean and without sideways scrolling at 1366 and 390 px, where
each row becomes a card."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import axe_run, login, shot
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupportRecordFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
S = Application.Status


@pytest.fixture
def application():
    application = ApplicationFactory(
        program=ProgramFactory(year=2026, title="2026년 대·중소 상생형 스마트공장 구축 지원사업"),
        status=S.SCREENING,
        level="basic",
        total_cost=200_000_000,
        submitted_at=timezone.now(),
    )
    company, bn = application.company, application.company.business_number
    ParticipationBanFactory(business_number=bn, ends_on=None, reason="허위 세금계산서 제출(2회)")
    kbiz = AgencyFactory(name="중소기업중앙회")
    for year, status in ((2024, S.COMPLETED), (2022, S.TERMINATED)):
        ApplicationFactory(
            program=ProgramFactory(
                year=year, agency=kbiz, title=f"{year}년 중소기업중앙회 스마트공장 고도화 사업"
            ),
            company=company,
            status=status,
            level="advanced1",
            total_cost=400_000_000,
            decided_at=timezone.now(),
        )
    ApplicationFactory(
        program=ProgramFactory(year=2026, agency=kbiz, title="2026년 스마트 제조혁신 바우처"),
        company=company,
        status=S.EVALUATION,
    )
    for year in (2021, 2019, 2017):
        SupportRecordFactory(
            business_number=bn,
            year=year,
            program_name=f"스마트공장 보급확산 사업 ({year}, 지역특화 스마트공장 구축)",
        )
    return application


@pytest.mark.parametrize("width", [1366, 390])
def test_the_panel_fits_and_axe_finds_nothing(new_page, application, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    page.goto(f"/staff/applications/{application.pk}/#tab-overview")
    panel = page.locator("#support-history")
    expect(panel.get_by_role("heading", name="지원 이력")).to_be_visible()
    expect(panel).to_contain_text("이 기업은 참여제한 중입니다")
    expect(panel).to_contain_text("같은 수준 이상의 사업을 이미 완료한 기업입니다.")
    expect(panel).to_contain_text("2026년에 진행 중인 다른 신청서가 1건 있습니다")
    assert panel.locator("tbody tr").count() == 5
    header = panel.locator("thead").bounding_box()
    if width == 390:  # cards: the column names sit above each value, the header row is hidden
        assert header is None or header["height"] <= 1
        first = panel.locator("tbody tr").first.bounding_box()
        assert first is not None and first["width"] <= 390
    else:
        assert header is not None and header["height"] > 10
    panel.scroll_into_view_if_needed()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{scroll}px wide at {inner}px"
    problems = [
        f"{violation['id']} ({violation['impact']}) {[n['target'] for n in violation['nodes']][:3]}"
        for violation in axe_run(page).response["violations"]
    ]
    assert not problems, "\n".join(problems)
    shot(page, f"support-history-{width}")
