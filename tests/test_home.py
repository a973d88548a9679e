"""The signed-in home (`/`, SPEC §11, program/home.py): each role's sections, its scope, and a
query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from applicants.models import Application
from funds.models import CostShare, LedgerEntry, Pot
from mentoring.models import MentoringSession
from reports.models import Report
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ContributionFactory,
    EvaluatorAssignmentFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    fund_program,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(client: Client) -> tuple[str, int]:
    """The home's HTML and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def same_queries(client: Client, add_rows) -> str:
    """The home after `add_rows()` once, and again after three more times: the same count."""
    add_rows()
    _, before = home(client)
    for _ in range(3):
        add_rows()
    html, after = home(client)
    assert after == before, f"{before} queries with few rows, {after} with many"
    return html


def report(program, status: str) -> Report:
    return Report.objects.create(
        kind=Report.Kind.PROGRAM_STATUS, format="xlsx", program=program, status=status
    )


def committed(application, amount: int) -> None:
    for pot in (Pot.GOVERNMENT, Pot.SPONSOR):
        LedgerEntry.objects.create(
            program=application.program,
            application=application,
            pot=pot,
            kind=LedgerEntry.Kind.COMMITMENT,
            amount=amount,
        )


def test_signed_out_home_lists_open_programs_and_sign_in(client):
    program = ProgramFactory()
    html = client.get("/").content.decode()
    assert program.title in html
    assert "home-" not in html


def test_staff_home_queues_count_their_agency_only_in_fixed_queries():
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(agency=staff.agency)
    other_agency = AgencyFactory(name="중소기업중앙회")
    other = ProgramFactory(agency=other_agency, title="다른 기관 사업")
    ApplicationFactory(program=program, submitted=True)
    ApplicationFactory(program=other, submitted=True, title="다른 기관 신청서")
    client = signed_in(staff)

    def more():
        for _ in range(4):
            ApplicationFactory(program=program, submitted=True)
            ApplicationFactory(program=program, evaluation=True, score=80)
        selected = ApplicationFactory(program=program, selected=True, wants_mentoring=True)
        committed(selected, 10_000_000)
        report(program, Report.Status.FAILED)
        MentoringAssignmentFactory(
            application=selected, ends_on=timezone.localdate() + datetime.timedelta(days=3)
        )

    html = same_queries(client, more)
    assert 'id="home-staff-queues"' in html and 'id="home-payments"' in html
    assert 'id="home-mentoring"' in html and 'id="home-reports"' in html
    assert "?status=submitted" in html
    assert program.title in html and other.title not in html
    # 1 + 4×4 submitted in the agency's queue, not the other agency's
    assert '<span class="stat-value num">17</span>' in html
    assert "40,000,000원" in html  # committed and not paid, per pot: 4 × 10,000,000


def test_other_agency_staff_sees_none_of_agency_a():
    program = ProgramFactory(title="재단 사업")
    ApplicationFactory(program=program, submitted=True)
    committed(ApplicationFactory(program=program, selected=True), 5_000_000)
    staff_other = UserFactory(role=Role.STAFF, agency=AgencyFactory(name="중소기업중앙회"))
    html, _ = home(signed_in(staff_other))
    assert "재단 사업" not in html
    assert "5,000,000원" not in html
    assert '<span class="stat-value num">1</span>' not in html


def test_applicant_home_shows_own_applications_with_next_step():
    applicant = UserFactory(applicant=True)
    program = ProgramFactory()
    mine = ApplicationFactory(program=program, company=applicant.company, status=S.CHANGES_REQUESTED)
    theirs = ApplicationFactory(program=program, company=CompanyFactory(), title="남의 신청서")
    ProgramFactory(title="새로 열린 사업")
    client = signed_in(applicant)

    def more():
        for _ in range(2):
            ApplicationFactory(company=applicant.company, status=S.EVALUATION)

    html = same_queries(client, more)
    assert mine.title in html and theirs.title not in html
    assert "서류 보완 요청에 답해 주세요" in html and "평가 중입니다" in html
    assert program.closes_on.strftime("%Y-%m-%d") in html  # its deadline
    assert "새로 열린 사업" in html  # a program it may still apply to


def test_applicant_without_company_is_asked_to_register():
    html, _ = home(signed_in(UserFactory(role=Role.APPLICANT)))
    assert "회사 등록" in html


def test_evaluator_home_lists_what_is_left_to_score():
    evaluator = UserFactory(evaluator=True)
    todo = EvaluatorAssignmentFactory(evaluator=evaluator).application
    not_mine = EvaluatorAssignmentFactory().application
    client = signed_in(evaluator)

    def more():
        for _ in range(5):
            EvaluatorAssignmentFactory(evaluator=evaluator)

    html = same_queries(client, more)
    assert todo.title in html and not_mine.title not in html
    assert "?tab=todo" in html


def test_sponsor_home_figures_and_projects_of_its_own_programs():
    sponsor_user = UserFactory(sponsor_user=True)
    program = ProgramFactory(sponsor=sponsor_user.sponsor)
    other = ProgramFactory(sponsor=SponsorFactory())
    fund_program(program, sponsor=300_000_000, government=200_000_000)
    ContributionFactory(program=program, amount=300_000_000)
    ApplicationFactory(program=other, selected=True, title="남의 과제")
    ApplicationFactory(program=program, submitted=True, title="아직 선정 전")
    client = signed_in(sponsor_user)

    def more():
        for _ in range(5):
            application = ApplicationFactory(program=program, selected=True)
            CostShare.objects.create(
                application=application,
                total=100_000_000,
                government=30_000_000,
                sponsor=30_000_000,
                sme=40_000_000,
                computed_at=timezone.now(),
            )
            committed(application, 30_000_000)
            MentoringAssignmentFactory(application=application)

    html = same_queries(client, more)
    assert 'id="home-sponsor"' in html
    assert "3억\u00a0원" in html  # contributed
    assert "30,000,000원" in html  # its share of a project
    assert "남의 과제" not in html and "아직 선정 전" not in html
    assert other.title not in html


def test_sponsor_dashboard_pages_through_supported_projects():
    sponsor_user = UserFactory(sponsor_user=True)
    program = ProgramFactory(sponsor=sponsor_user.sponsor)
    for n in range(23):
        ApplicationFactory(program=program, selected=True, company=CompanyFactory(name=f"지원기업{n:02}"))
    client = signed_in(sponsor_user)
    first = client.get("/sponsor/").content.decode()
    second = client.get("/sponsor/?page=2").content.decode()
    assert 'id="projects"' in first and "1 / 2" in first
    assert first.count("지원기업") == 20 and second.count("지원기업") == 3


def test_mentor_home_lists_its_active_assignments_and_sessions_due():
    mentor = MentorFactory()
    today = timezone.localdate()
    assignment = MentoringAssignmentFactory(
        mentor=mentor,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=60),
    )
    other = MentoringAssignmentFactory()
    client = signed_in(mentor.user)

    def more():
        for _ in range(4):
            extra = MentoringAssignmentFactory(
                mentor=mentor, starts_on=today, ends_on=today + datetime.timedelta(days=90)
            )
            MentoringSession.objects.create(assignment=extra, held_on=today, hours=2)

    html = same_queries(client, more)
    assert assignment.application.company.name in html
    assert other.application.company.name not in html
    assert "지남" in html  # 60 days without a session


def test_ministry_home_national_overview_per_agency():
    ministry = UserFactory(ministry=True)
    program = ProgramFactory()
    kbiz = ProgramFactory(agency=AgencyFactory(name="중소기업중앙회"))
    ApplicationFactory(program=program, submitted=True)
    client = signed_in(ministry)

    def more():
        for _ in range(3):
            committed(ApplicationFactory(program=kbiz, selected=True), 1_000_000)

    html = same_queries(client, more)
    assert 'id="home-national"' in html and 'id="home-national-funds"' in html
    assert "중소기업중앙회" in html and "대·중소기업·농어업협력재단" in html
    assert "24,000,000원" in html  # 12 commitments of 1,000,000 in each of two pots


def test_reports_list_filters_by_status():
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(agency=staff.agency)
    report(program, Report.Status.FAILED)
    report(program, Report.Status.RUNNING)
    client = signed_in(staff)
    assert client.get("/reports/?status=failed").context["reports"].count() == 1
    assert len(client.get("/reports/").context["reports"]) == 2
