"""The staff application page's 지원 이력 panel (SPEC §15.4, funds.panels.support_history): the company's
other support in any agency and the imported records, the three warnings on top, the empty state, and
the same queries however long the history."""

import pytest
from django.utils import timezone

from applicants.models import Application
from funds.models import CostShare
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupportRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = Application.Status


@pytest.fixture
def application():
    return ApplicationFactory(
        program=ProgramFactory(year=2026, title="협력재단 2026 구축사업"),
        status=S.SCREENING,
        level="basic",
        total_cost=200_000_000,
        submitted_at=timezone.now(),
    )


def page(client, application, user=None) -> str:
    client.force_login(user or UserFactory(agency=application.program.agency))
    response = client.get(f"/staff/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    start = html.index('<div id="panel-support_history"')
    return html[start : html.index("</section>", start)]


def test_it_sits_in_the_overview(client, application):
    html = page(client, application)
    overview = html[html.index('id="tab-overview"') : html.index('id="tab-documents"')]
    assert 'id="panel-support_history"' in overview


def test_without_other_history_it_says_so_and_warns_of_nothing(client, application):
    ApplicationFactory(company=application.company, status=S.REJECTED, decided_at=timezone.now())
    shown = panel(page(client, application))
    assert "다른 지원 이력이 없습니다." in shown
    assert "<table" not in shown and "critical-badge" not in shown


def test_the_rows_of_every_agency_and_the_imported_records(client, application):
    kbiz = AgencyFactory(name="중소기업중앙회")
    ApplicationFactory(
        program=ProgramFactory(year=2024, agency=kbiz, title="중기중앙회 2024 사업"),
        company=application.company,
        status=S.COMPLETED,
        level="advanced1",
        total_cost=100_000_000,
        decided_at=timezone.now(),
    )
    SupportRecordFactory(
        business_number=application.company.business_number,
        program_name="보급확산 2019",
        year=2019,
        government=42_000_000,
        status="completed",
    )
    shown = panel(page(client, application))
    assert shown.index("중기중앙회 2024 사업") < shown.index("보급확산 2019")  # newest first
    assert "중소기업중앙회" in shown and "시스템" in shown and "가져옴" in shown
    assert "30,000,000원" in shown and "42,000,000원" in shown  # the shares
    assert "협력재단 2026 구축사업" not in shown  # the application shown is not its own history
    assert "다른 지원 이력이 없습니다." not in shown


def test_the_three_warnings(client, application):
    bn = application.company.business_number
    ParticipationBanFactory(business_number=bn, ends_on=None, reason="허위 증빙 제출")
    SupportRecordFactory(business_number=bn, level="advanced2")
    ApplicationFactory(
        program=ProgramFactory(
            year=2026, title="상의 2026 사업", agency=AgencyFactory(name="대한상공회의소")
        ),
        company=application.company,
        status=S.EVALUATION,
    )
    shown = panel(page(client, application))
    assert "이 기업은 참여제한 중입니다" in shown and "영구" in shown and "허위 증빙 제출" in shown
    assert "같은 수준 이상의 사업을 이미 완료한 기업입니다." in shown
    assert "정부지원금 한도는 50,000,000원입니다" in shown  # 6,000만 capped by the repeat cap
    assert "2026년에 진행 중인 다른 신청서가 1건 있습니다" in shown
    assert "상의 2026 사업 (대한상공회의소, 선정평가)" in shown


@pytest.mark.parametrize(
    "present", ["history-warning-banned", "history-warning-repeat", "history-warning-same-year"]
)
def test_each_warning_alone(client, application, present):
    bn = application.company.business_number
    if present == "history-warning-banned":
        ParticipationBanFactory(business_number=bn)
    elif present == "history-warning-repeat":
        ApplicationFactory(company=application.company, status=S.COMPLETED, decided_at=timezone.now())
    else:
        ApplicationFactory(program=ProgramFactory(year=2026), company=application.company, status=S.SUBMITTED)
    shown = panel(page(client, application))
    warnings = ["history-warning-banned", "history-warning-repeat", "history-warning-same-year"]
    assert [name for name in warnings if name in shown] == [present]


def test_the_ministry_sees_it_too(client, application):
    ParticipationBanFactory(business_number=application.company.business_number)
    shown = panel(page(client, application, UserFactory(ministry=True)))
    assert "이 기업은 참여제한 중입니다" in shown


def test_in_english(client, application):
    client.force_login(UserFactory(agency=application.program.agency))
    response = client.get(f"/staff/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
def test_the_page_takes_the_same_queries_however_long_the_history(
    client, application, rows, django_assert_num_queries
):
    """The page's queries with the panel's five (applications, records, ban, repeat level, same year),
    whether the company has one row of history and one warning each, or five."""
    company = application.company
    for n in range(rows):
        done = ApplicationFactory(
            company=company, status=S.COMPLETED, decided_at=timezone.now(), level="basic"
        )
        CostShare.objects.create(
            application=done, total=100_000_000, government=30_000_000, sponsor=30_000_000, sme=40_000_000,
            computed_at=timezone.now(),
        )  # fmt: skip
        SupportRecordFactory(business_number=company.business_number, year=2015 + n)
        ApplicationFactory(program=ProgramFactory(year=2026), company=company, status=S.SUBMITTED)
        ParticipationBanFactory(business_number=company.business_number)
    client.force_login(UserFactory(agency=application.program.agency))
    url = f"/staff/applications/{application.pk}/"
    client.get(url)  # warm the session and content-type caches
    # session, user, the application (joined), documents, evaluations, committee, agency and partner,
    # company changes, history, the thread (messages, files), the unread count, the declarations, and
    # the panel's five
    with django_assert_num_queries(18):
        html = client.get(url).content.decode()
    shown = panel(html)
    assert shown.count("<tr>") == 1 + 2 * rows  # the header and the rows
    assert "history-warning-banned" in shown and f"다른 신청서가 {rows}건" in shown
