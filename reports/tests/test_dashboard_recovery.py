"""The sponsor dashboard's clawback figures (SPEC §18.4, reports/dashboard.py): `recovered` is the
sponsor pot's recovery ledger, `recovery_due` what its open clawbacks still owe that pot."""

import datetime

import pytest

from applicants.services import application_transition
from execution.models import Clawback
from funds.models import LedgerEntry, Pot
from funds.services import ledger_entry_record
from reports.dashboard import recovery_due, sponsor_dashboard
from tests.factories import ApplicationFactory, ProgramFactory, fund_program

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 12, 31)


def clawback(application, *, sponsor, collected_sponsor=0, status=Clawback.Status.OPEN):
    return Clawback.objects.create(
        application=application,
        reason=Clawback.Reason.FALSE_EVIDENCE,
        government=1_000_000,
        sponsor=sponsor,
        collected_sponsor=collected_sponsor,
        due_on=DUE,
        status=status,
    )


@pytest.fixture
def project(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    application = ApplicationFactory(program=program, total_cost=100_000_000, evaluation=True)
    application_transition(application=application, action="select", actor=staff)
    return application


def test_recovery_due_sums_what_open_clawbacks_still_owe_the_sponsor_pot(project):
    clawback(project, sponsor=5_000_000, collected_sponsor=2_000_000)
    clawback(project, sponsor=1_000_000)
    clawback(project, sponsor=7_000_000, status=Clawback.Status.UNCOLLECTABLE)
    clawback(project, sponsor=3_000_000, collected_sponsor=3_000_000, status=Clawback.Status.COLLECTED)
    other = ApplicationFactory(program=ProgramFactory(), status="building")
    clawback(other, sponsor=9_000_000)  # another sponsor's program

    assert recovery_due(sponsor_id=project.program.sponsor_id) == 4_000_000


def test_recovery_due_keeps_to_the_staff_agency(project):
    clawback(project, sponsor=5_000_000)
    sponsor_id = project.program.sponsor_id
    assert recovery_due(sponsor_id=sponsor_id, agency_id=project.program.agency_id) == 5_000_000
    assert recovery_due(sponsor_id=sponsor_id, agency_id=project.program.agency_id + 1000) == 0


def test_the_dashboard_shows_what_was_recovered_and_what_is_still_due(project, staff):
    clawback(project, sponsor=5_000_000, collected_sponsor=2_000_000)
    for pot, amount in ((Pot.SPONSOR, 2_000_000), (Pot.GOVERNMENT, 400_000)):
        ledger_entry_record(
            program_id=project.program_id,
            pot=pot,
            kind=LedgerEntry.Kind.RECOVERY,
            amount=amount,
            actor=staff,
            application=project,
        )

    data = sponsor_dashboard(sponsor_id=project.program.sponsor_id)

    assert (data["recovered"], data["recovery_due"]) == (2_000_000, 3_000_000)
    assert data["pots"]["government"]["recovered"] == 400_000
    assert data["available"] == (
        data["pots"]["sponsor"]["total"] - data["committed_net"] + data["pots"]["sponsor"]["recovered"]
    )


def test_the_dashboard_page_shows_the_clawback_figures(client, project):
    from tests.factories import UserFactory

    clawback(project, sponsor=5_000_000, collected_sponsor=2_000_000)
    client.force_login(UserFactory(sponsor_user=True, sponsor=project.program.sponsor))

    page = client.get("/sponsor/").content.decode()

    assert "환수 회수" in page
    assert "환수 미회수" in page


def test_the_fund_report_has_the_recovered_column_and_counts_it_in_available(project, staff, tmp_path):
    import openpyxl

    from reports.generators import generate
    from reports.models import Report
    from reports.tests.report_data import report_for

    ledger_entry_record(
        program_id=project.program_id,
        pot=Pot.SPONSOR,
        kind=LedgerEntry.Kind.RECOVERY,
        amount=2_000_000,
        actor=staff,
        application=project,
    )
    report = report_for(Report.Kind.FUND_STATUS, Report.Format.XLSX, program=project.program)
    path = tmp_path / "funds.xlsx"
    generate(report, str(path), lambda _p: None)

    sheet = openpyxl.load_workbook(path)["사업별 기금"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert row["주관기관 환수액"] == 2_000_000 and row["정부 환수액"] == 0
    assert row["주관기관 잔액"] == row["주관기관 조성액"] - row["주관기관 약정액"] + 2_000_000


def test_a_sponsor_sees_its_terminated_projects(staff):
    from applicants.models import Application
    from applicants.permissions import application_scope
    from reports.dashboard import sponsor_projects
    from tests.factories import UserFactory

    program = ProgramFactory()
    terminated = ApplicationFactory(program=program, status="terminated")
    ApplicationFactory(program=program, status="withdrawn")
    user = UserFactory(sponsor_user=True, sponsor=program.sponsor)

    assert list(Application.objects.filter(application_scope(user))) == [terminated]
    assert list(sponsor_projects(sponsor_id=program.sponsor_id)) == [terminated]


def test_the_sponsor_home_shows_the_clawback_figures(client, project):
    from django.test import RequestFactory

    from reports.home import sponsor_figures
    from tests.factories import UserFactory

    clawback(project, sponsor=5_000_000, collected_sponsor=2_000_000)
    request = RequestFactory().get("/")
    request.user = UserFactory(sponsor_user=True, sponsor=project.program.sponsor)

    section = sponsor_figures(request)

    assert section is not None
    assert (section.context["figures"]["recovered"], section.context["figures"]["recovery_due"]) == (
        0,
        3_000_000,
    )
