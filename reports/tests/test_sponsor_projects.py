"""What sponsors (and officials) see of a funded project's agreement, changes and inspections
(issue 19 item 5): the supported-projects list, the project page, the export and the program status
report."""

import csv
import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from applicants.models import Application
from projects.models import Agreement, AgreementChange, Inspection
from projects.selectors import kpi_target_met
from projects.tests.scenes import END, agreement_for, change_for, inspection_for
from reports.generators import generate
from reports.models import Report
from reports.tests.report_data import outcome_for, report_for
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    MentorFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def program():
    return ProgramFactory(title="상생형 스마트공장 가")


@pytest.fixture
def sponsor_user(program):
    return UserFactory(role=Role.SPONSOR, sponsor=program.sponsor)


@pytest.fixture
def project(program):
    return ApplicationFactory(program=program, status=S.BUILDING, title="MES 구축 과제")


def project_url(application) -> str:
    return reverse("reports:sponsor-project", args=[application.pk])


def kpi_rows(html: str) -> dict[str, str]:
    """Each KPI row's 달성 cell, by KPI code."""
    return dict(re.findall(r'<tr class="kpi-(\w+)">.*?<td class="kpi-met">([^<]*)</td>', html, re.S))


@pytest.mark.parametrize(
    ("kpi", "target", "result", "met"),
    [
        ("productivity", "120", "120", True),  # at the target: met
        ("productivity", "120", "119.9", False),
        ("productivity", "120", "130", True),
        ("defect_rate", "3", "3", True),
        ("defect_rate", "3", "3.1", False),  # lower is better: above the target is short
        ("defect_rate", "3", "2", True),
        ("lead_time", "7", "8", False),
        ("accidents", "1", "0", True),
        ("unit_cost", "900", None, None),  # no result yet
    ],
)
def test_a_target_is_met_in_its_kpis_direction(kpi, target, result, met):
    assert kpi_target_met(kpi, Decimal(target), None if result is None else Decimal(result)) is met


def test_the_project_page_shows_targets_against_results(project, sponsor_user):
    agreement_for(project)
    outcome_for(project, "productivity", "100", "130")  # higher is better: met
    outcome_for(project, "defect_rate", "5", "4")  # lower is better, target 3: short
    outcome_for(project, "lead_time", "10", "6")  # lower is better, target 7: met
    html = signed_in(sponsor_user).get(project_url(project)).content.decode()
    assert kpi_rows(html) == {
        "productivity": "달성",
        "defect_rate": "미달",
        "lead_time": "달성",
        "unit_cost": "실적 미입력",
    }
    assert "성과목표 4개 중 실적 입력 3개, 달성 2개" in html
    assert "130" in html and "120" in html  # result and target of productivity
    assert "스마트솔루션 가" in html  # the supplier
    assert "2026-03-01" in html and "2026-08-31" in html  # the period
    assert "연장" not in html


def test_the_project_page_shows_extension_changes_and_inspections(project, sponsor_user):
    extended = END + datetime.timedelta(days=61)
    agreement_for(project, ends_on=extended)
    change_for(project, new_ends_on=extended, previous={"ends_on": END.isoformat()})
    change_for(
        project,
        kind=AgreementChange.Kind.SUPPLIER,
        new_supplier=SupplierFactory(name="새공급기업"),
        previous={"supplier": 1, "supplier_name": "스마트솔루션 가"},
    )
    change_for(
        project,
        kind=AgreementChange.Kind.COST,
        new_total_cost=120_000_000,
        previous={"total_cost": 100_000_000},
    )
    change_for(project, status=AgreementChange.Status.REJECTED, new_ends_on=datetime.date(2027, 5, 1))
    change_for(project, status=AgreementChange.Status.PENDING, new_ends_on=datetime.date(2027, 6, 1))
    inspection_for(project, Inspection.Result.REWORK, rework_due=datetime.date(2026, 11, 15))
    inspection_for(project, Inspection.Result.PASS)
    html = signed_in(sponsor_user).get(project_url(project)).content.decode()
    assert "연장" in html and "2026-10-31" in html and "최초 종료일" in html
    assert "기간 연장" in html and "공급기업 변경" in html and "사업비 변경" in html
    assert "2026-08-31" in html and "새공급기업" in html
    assert "100,000,000원" in html and "120,000,000원" in html
    assert "2027-05-01" not in html and "2027-06-01" not in html  # rejected, pending: not changes
    results = re.findall(r'<td class="inspection-result">([^<]*)</td>', html)
    assert results == ["적합", "보완"]  # newest first
    assert "2026.\u00a011.\u00a015." in html


def test_before_an_agreement_the_page_says_so(program, sponsor_user):
    selected = ApplicationFactory(program=program, selected=True)
    html = signed_in(sponsor_user).get(project_url(selected)).content.decode()
    assert "협약 전" in html and "아직 협약의 성과목표가 없습니다." in html


def test_only_the_sponsor_and_the_agencys_officials_read_it(project, program):
    agreement_for(project)
    url = project_url(project)
    allowed = [
        UserFactory(role=Role.SPONSOR, sponsor=program.sponsor),
        UserFactory(role=Role.STAFF, agency=program.agency),
        UserFactory(ministry=True),
    ]
    owner = UserFactory(role=Role.APPLICANT, company=project.company)
    refused = [
        UserFactory(sponsor_user=True),  # another sponsor
        UserFactory(role=Role.STAFF, agency=AgencyFactory(name="중소기업중앙회")),
        owner,  # the SME reads its own pages, not the sponsor's
        UserFactory(evaluator=True),
        MentorFactory().user,
    ]
    for user in allowed:
        assert signed_in(user).get(url).status_code == 200, user.role
    for user in refused:
        assert signed_in(user).get(url).status_code == 404, user.role
    not_funded = ApplicationFactory(program=program, submitted=True)
    assert signed_in(allowed[0]).get(project_url(not_funded)).status_code == 404


def test_the_project_page_takes_the_same_queries_however_much_it_holds(
    project, sponsor_user, django_assert_num_queries
):
    agreement_for(project)
    client = signed_in(sponsor_user)
    client.get(project_url(project))
    # the session, the user and the frame's one; application, agreement, outcomes, changes, inspections
    with django_assert_num_queries(8) as few:
        client.get(project_url(project))
    for n in range(4):
        change_for(
            project, new_ends_on=END + datetime.timedelta(days=n + 1), previous={"ends_on": "2026-08-31"}
        )
        change_for(project, kind=AgreementChange.Kind.SUPPLIER, new_supplier=SupplierFactory())
        inspection_for(project, Inspection.Result.REWORK)
    for kpi in ("productivity", "defect_rate", "lead_time", "unit_cost"):
        outcome_for(project, kpi, "10", "5")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(project_url(project))


def test_the_supported_projects_show_agreement_period_and_inspection(program, sponsor_user):
    signed = ApplicationFactory(
        program=program, status=S.COMPLETION_REVIEW, company=CompanyFactory(name="가공업체")
    )
    agreement_for(signed, ends_on=END + datetime.timedelta(days=30))
    inspection_for(signed, Inspection.Result.REWORK)
    inspection_for(signed, Inspection.Result.PASS)
    sent = ApplicationFactory(program=program, selected=True, company=CompanyFactory(name="나공업체"))
    agreement_for(sent, status=Agreement.Status.SENT)
    ApplicationFactory(program=program, selected=True, company=CompanyFactory(name="다공업체"))
    html = signed_in(sponsor_user).get(reverse("reports:sponsor-home")).content.decode()
    statuses = re.findall(r'<td class="agreement-status">([^<]*)</td>', html)
    assert sorted(statuses) == sorted(["체결", "서명 요청", "협약 전"])
    assert "2026-03-01" in html and "2026-09-30" in html and "연장" in html
    assert "적합" in html and "보완" not in html  # the latest inspection only
    assert project_url(signed) in html
    home = signed_in(sponsor_user).get("/").content.decode()  # the home's list, the same table
    assert "서명 요청" in home and project_url(sent) in home


def test_the_supported_projects_keep_a_flat_query_count(program, sponsor_user, django_assert_num_queries):
    client = signed_in(sponsor_user)

    def add():
        application = ApplicationFactory(program=program, status=S.BUILDING)
        agreement_for(application)
        inspection_for(application, Inspection.Result.REWORK)

    add()
    client.get("/sponsor/")
    with django_assert_num_queries(14) as few:  # one more for recovery_due; still no query per project
        client.get("/sponsor/")
    for _ in range(5):
        add()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/sponsor/")


@pytest.fixture
def isolated(settings, tmp_path, eager_tasks):
    settings.MEDIA_ROOT = tmp_path / "media"


def _projects_in(program):
    """A countersigned and extended project passed after a rework, one sent, one before any."""
    done = ApplicationFactory(
        program=program,
        status=S.COMPLETION_REVIEW,
        company=CompanyFactory(name="완료점검기업"),
        submitted=True,
    )
    agreement_for(done, ends_on=datetime.date(2026, 10, 31))
    change_for(done, new_ends_on=datetime.date(2026, 10, 31), previous={"ends_on": "2026-08-31"})
    inspection_for(done, Inspection.Result.REWORK)
    inspection_for(done, Inspection.Result.PASS)
    sent = ApplicationFactory(program=program, selected=True, company=CompanyFactory(name="서명대기기업"))
    agreement_for(sent, status=Agreement.Status.SENT)
    before = ApplicationFactory(program=program, selected=True, company=CompanyFactory(name="협약전기업"))
    return done, sent, before


def _generate(tmp_path, kind, fmt, program):
    report = report_for(kind, fmt, program=program)
    path = tmp_path / f"out.{fmt}"
    generate(report, str(path), lambda percent: None)
    return path


@pytest.mark.usefixtures("isolated")
def test_the_applications_export_has_the_agreement_and_inspection_columns(tmp_path, program):
    _projects_in(program)
    sheet = openpyxl.load_workbook(_generate(tmp_path, Report.Kind.APPLICATIONS_EXPORT, "xlsx", program))[
        "신청서"
    ]
    header = [cell.value for cell in sheet[1]]
    assert header[-4:] == ["협약 상태", "협약 시작일", "협약 종료일", "완료점검 결과"]
    rows = {row[2]: row[-4:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["완료점검기업"] == ("체결", "2026-03-01", "2026-10-31", "적합")
    assert rows["서명대기기업"] == ("서명 요청", "2026-03-01", "2026-08-31", None)
    assert rows["협약전기업"] == (None, None, None, None)
    raw = _generate(tmp_path, Report.Kind.APPLICATIONS_EXPORT, "csv", program).read_bytes()
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][-4:] == ["협약 상태", "협약 시작일", "협약 종료일", "완료점검 결과"]
    assert ["체결", "2026-03-01", "2026-10-31", "적합"] in [line[-4:] for line in lines[1:]]


@pytest.mark.usefixtures("isolated")
def test_the_export_reads_the_projects_in_one_query_per_chunk(
    tmp_path, program, django_assert_max_num_queries
):
    _projects_in(program)
    report = report_for(Report.Kind.APPLICATIONS_EXPORT, "csv", program=program)
    with django_assert_max_num_queries(12) as few:
        generate(report, str(tmp_path / "a.csv"), lambda percent: None)
    for _ in range(5):
        _projects_in(program)
    with django_assert_max_num_queries(len(few.captured_queries)):
        generate(report, str(tmp_path / "b.csv"), lambda percent: None)


@pytest.mark.usefixtures("isolated")
def test_the_program_status_report_sums_up_agreements_and_inspections(tmp_path, program):
    _projects_in(program)
    book = openpyxl.load_workbook(_generate(tmp_path, Report.Kind.PROGRAM_STATUS, "xlsx", program))
    summary = dict(book["협약·점검"].iter_rows(min_row=2, values_only=True))
    assert summary["협약 체결"] == 1 and summary["협약 서명 요청"] == 1 and summary["협약 작성중"] == 0
    assert summary["승인된 기간 연장"] == 1
    assert summary["완료점검 적합"] == 1 and summary["완료점검 보완"] == 1 and summary["완료점검 부적합"] == 0
    if not shutil.which("pdftotext"):
        return
    path = _generate(tmp_path, Report.Kind.PROGRAM_STATUS, "pdf", program)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "협약·점검" in text
    assert re.search(r"승인된 기간 연장\s+1", text)
    assert re.search(r"완료점검 적합\s+1", text)
