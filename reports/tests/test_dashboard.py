"""The sponsor dashboard's figures (docs/domain.md §3.4, §8; reports/dashboard.py), built from the money
services and the outcomes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Application
from applicants.services import application_transition
from funds.selectors import fund_figures
from funds.services import contribution_record, disbursement_record, fund_budget_sync
from program.choices import Region, SupportLevel
from program.models import Program
from reports.dashboard import sponsor_dashboard
from reports.models import Outcome
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ProgramFactory,
    SponsorFactory,
    deposit_sme_share,
)

pytestmark = pytest.mark.django_db
S = Application.Status
JAN_15 = datetime.date(2026, 1, 15)
MAR_2 = datetime.date(2026, 3, 2)


def contribute(staff, program, amount, kind="cash", **extra):
    return contribution_record(
        actor=staff, program=program, amount=amount, kind=kind, purpose="build", received_on=JAN_15, **extra
    )


def set_status(application, status) -> Application:
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def _select(staff, program, company, *, level="basic", total_cost):
    application = ApplicationFactory(
        program=program, company=company, level=level, total_cost=total_cost, evaluation=True
    )
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


def _outcome(application, kpi, baseline, result):
    return Outcome.objects.create(
        application=application,
        kpi=kpi,
        baseline=Decimal(baseline),
        result=Decimal(result),
        measured_on=datetime.date(2026, 12, 1),
    )


@pytest.fixture
def world(staff):
    """Sponsor A with two programs and five supported projects; sponsor B beside it."""
    a, b = SponsorFactory(name="에이전자"), SponsorFactory(name="비제철")
    p1 = ProgramFactory(sponsor=a, year=2025, gov_budget=1_000_000_000)
    p2 = ProgramFactory(sponsor=a, year=2026, gov_budget=300_000_000)
    for program in (p1, p2):
        fund_budget_sync(program=program, actor=staff)
    contribute(staff, p1, 800_000_000, kind="cash")
    contribute(staff, p1, 200_000_000, kind="in_kind")
    contribute(staff, p2, 400_000_000, kind="cash")

    c1 = CompanyFactory(region="경기", partner_of=a, is_sponsor_partner=True)
    c2 = CompanyFactory(region="경북")
    c3 = CompanyFactory(region="서울", is_sponsor_partner=True)  # a partner, of no sponsor named
    c4 = CompanyFactory(region="부산", is_sponsor_partner=True, partner_of=b)  # B's partner: general for A
    a1 = _select(staff, p1, c1, total_cost=100_000_000)  # 30M / 30M
    _select(staff, p1, c2, level="advanced1", total_cost=200_000_000)  # 60M / 60M
    _select(staff, p2, c1, total_cost=100_000_001)  # 30M / 30M
    a4 = _select(staff, p2, c3, level="advanced2", total_cost=300_000_000)  # 90M / 90M
    _select(staff, p2, c4, total_cost=50_000_000)  # 15M / 15M
    disbursement_record(actor=staff, application=a1, amount=20_000_000, kind="advance", paid_on=MAR_2)
    set_status(a1, S.COMPLETED)
    # Not supported: one still in evaluation, one withdrawn after selection (its money released).
    ApplicationFactory(program=p2, company=CompanyFactory(region="경기"), evaluation=True)
    a7 = _select(staff, p1, CompanyFactory(region="대구"), total_cost=100_000_000)
    application_transition(application=a7, action="withdraw", actor=staff)

    _outcome(a1, "defect_rate", "4.0", "3.0")  # −25 %: an improvement
    _outcome(a4, "defect_rate", "5.0", "4.0")  # −20 %: an improvement
    _outcome(a1, "productivity", "100", "130")  # +30 %
    _outcome(a7, "productivity", "100", "50")  # withdrawn: not counted

    # Sponsor B's money and projects must not show in A's dashboard.
    pb = ProgramFactory(sponsor=b, year=2026, gov_budget=500_000_000)
    fund_budget_sync(program=pb, actor=staff)
    contribute(staff, pb, 700_000_000)
    b1 = _select(staff, pb, CompanyFactory(region="제주"), total_cost=100_000_000)
    _outcome(b1, "productivity", "100", "10")
    return a


def test_the_dashboard_of_a_small_world(world):
    data = sponsor_dashboard(sponsor_id=world.pk)

    assert data["contributed"] == {"cash": 1_200_000_000, "in_kind": 200_000_000, "total": 1_400_000_000}
    # Sponsor pot: commitments 30+60+30+90+15 + 30 (withdrawn) = 255M, released 30M, paid 10M.
    assert data["committed"] == 225_000_000
    assert data["disbursed"] == 10_000_000
    assert data["available"] == 1_400_000_000 - 255_000_000 + 30_000_000
    assert data["pots"]["government"]["available"] == 1_300_000_000 - 255_000_000 + 30_000_000
    assert data["smes_supported"] == 4
    assert data["projects_supported"] == 5
    assert data["partners"] == {"partner": 2, "general": 2}

    assert data["by_year"] == [
        {
            "year": 2025,
            "contributed": 1_000_000_000,
            "committed": 90_000_000,
            "disbursed": 10_000_000,
            "smes": 2,
            "projects": 2,
        },
        {
            "year": 2026,
            "contributed": 400_000_000,
            "committed": 135_000_000,
            "disbursed": 0,
            "smes": 3,
            "projects": 3,
        },
    ]

    assert [row["region"] for row in data["by_region"]] == list(Region.values)
    regions = {row["region"]: (row["projects"], row["sponsor_share"]) for row in data["by_region"]}
    assert regions["경기"] == (2, 60_000_000)
    assert regions["경북"] == (1, 60_000_000)
    assert regions["서울"] == (1, 90_000_000)
    assert regions["부산"] == (1, 15_000_000)
    assert regions["대구"] == regions["제주"] == (0, 0)
    assert sum(projects for projects, _ in regions.values()) == 5

    assert [row["level"] for row in data["by_level"]] == list(SupportLevel.values)
    assert [(row["projects"], row["sponsor_share"]) for row in data["by_level"]] == [
        (3, 75_000_000),
        (1, 60_000_000),
        (1, 90_000_000),
    ]

    outcomes = {row["kpi"]: row for row in data["outcomes"]}
    assert set(outcomes) == {"defect_rate", "productivity"}
    assert "defect_rate" in Outcome.LOWER_IS_BETTER
    assert (outcomes["defect_rate"]["companies"], outcomes["defect_rate"]["change_percent"]) == (2, 22.5)
    assert (outcomes["productivity"]["companies"], outcomes["productivity"]["change_percent"]) == (1, 30.0)
    # The withdrawn applicant's report is the comparison group's (docs/domain.md §8).
    assert outcomes["productivity"]["comparison"] == {"companies": 1, "mean_change_percent": -50.0}
    assert outcomes["productivity"]["difference"] == 80.0

    # The average project needs 45M from each pot: the government pot (1,075M) allows 23 more,
    # the sponsor pot (1,175M) 26; a project needs both, so 23.
    assert data["capacity_estimate"] == {
        "projects": 23,
        "average_total": 150_000_000,
        "average_government": 45_000_000,
        "average_sponsor": 45_000_000,
    }


def test_a_sponsor_without_projects_has_an_empty_dashboard():
    data = sponsor_dashboard(sponsor_id=SponsorFactory().pk)
    assert data["contributed"] == {"cash": 0, "in_kind": 0, "total": 0}
    assert (data["committed"], data["disbursed"], data["available"], data["smes_supported"]) == (0, 0, 0, 0)
    assert data["by_year"] == [] and data["outcomes"] == []
    assert len(data["by_region"]) == 17 and len(data["by_level"]) == 3
    assert all(row["projects"] == 0 for row in data["by_region"] + data["by_level"])
    assert data["capacity_estimate"] is None


def _sponsor_with_projects(staff, n: int):
    sponsor = SponsorFactory()
    regions = list(Region.values)
    levels = list(SupportLevel.values)
    for year in (2025, 2026):
        program = ProgramFactory(sponsor=sponsor, year=year, gov_budget=10**11)
        fund_budget_sync(program=program, actor=staff)
        contribute(staff, program, 10**11)
        for i in range(n // 2):
            company = CompanyFactory(region=regions[i % 17], is_sponsor_partner=i % 3 == 0)
            application = _select(staff, program, company, level=levels[i % 3], total_cost=100_000_000 + i)
            _outcome(application, "defect_rate", "4.0", "3.0")
            _outcome(application, "productivity", "100", str(100 + i))
            if i % 2:
                disbursement_record(
                    actor=staff, application=application, amount=1_000_000, kind="advance", paid_on=MAR_2
                )
    return sponsor


def test_the_dashboard_runs_a_constant_number_of_queries(staff, django_assert_num_queries):
    small = _sponsor_with_projects(staff, 2)
    large = _sponsor_with_projects(staff, 20)
    with CaptureQueriesContext(connection) as queries:
        small_data = sponsor_dashboard(sponsor_id=small.pk)
    assert small_data["projects_supported"] == 2
    assert len(queries) <= 12

    with django_assert_num_queries(len(queries)):
        large_data = sponsor_dashboard(sponsor_id=large.pk)
    assert large_data["projects_supported"] == 20
    assert large_data["smes_supported"] == 20


def test_the_pots_mean_what_the_fund_endpoint_means(world):
    """`pots` are `programs/{id}/fund/`'s figures summed over the sponsor's programs: `committed` is
    gross; the headline `committed` is the sponsor pot's net of releases (docs/domain.md §3.4)."""
    data = sponsor_dashboard(sponsor_id=world.pk)
    sponsor_pot = data["pots"]["sponsor"]
    assert (sponsor_pot["committed"], sponsor_pot["released"]) == (255_000_000, 30_000_000)
    assert data["committed_net"] == data["committed"] == sponsor_pot["committed"] - sponsor_pot["released"]
    programs = Program.objects.filter(sponsor=world)
    for pot in ("sponsor", "government"):
        figures = [fund_figures(program_id=program.pk)[pot] for program in programs]
        assert data["pots"][pot] == {key: sum(f[key] for f in figures) for key in data["pots"][pot]}
