"""`/staff/audit/`: staff read every status change and money movement in words, filter it by
object, actor, action and date, and take the filtered rows away as a workbook (issue 17 item 8)."""

import io

import openpyxl
import pytest

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from program.services import audit_event_record, program_save
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ProgramFactory,
    UserFactory,
    fund_program,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF, username="officer", first_name="김사업")


@pytest.fixture
def selected(staff):
    program = ProgramFactory(agency=staff.agency)
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    application = ApplicationFactory(
        program=program,
        status=Application.Status.EVALUATION,
        total_cost=100_000_000,
        title="스마트 라인",
        company=CompanyFactory(name="한빛정밀"),
    )
    return application_transition(application=application, action="select", actor=staff)


def page_of(client, query=""):
    return client.get(f"/staff/audit/{query}").content.decode()


def test_a_row_says_who_did_what_to_which_object_in_words(client, staff, selected):
    client.force_login(staff)
    page = page_of(client)
    assert (
        f"김사업님이 신청서 #{selected.pk} 「스마트 라인 · {selected.company.name}」을 선정했습니다." in page
    )
    rows = page[page.index('<ol class="audit-list"') :]
    assert "application.select" not in rows and "ledger.commitment" not in rows  # never the codes
    assert "{&#x27;" not in rows and "{'" not in rows  # never a Python dict
    # before → after as labelled values: the status by its label, the money in won
    assert "<dt>상태</dt><dd><del>선정평가</del> → <ins>선정</ins></dd>" in page.replace("\n", "")
    assert "<dt>금액(원)</dt><dd><ins>30,000,000원</ins></dd>" in page.replace("\n", "")


def test_a_program_change_reads_as_its_fields_and_values(client, staff):
    program = ProgramFactory(agency=staff.agency, gov_budget=3_000_000_000)
    rubric = [
        {"key": "plan", "label": "계획", "max_points": 60},
        {"key": "impact", "label": "효과", "max_points": 40},
    ]
    program_save(
        actor=staff, program=program, gov_budget=4_200_000_000, rubric=rubric, required_documents=["quote"]
    )
    client.force_login(staff)
    page = page_of(client).replace("\n", "")
    assert (
        "<dt>정부 매칭 예산(원)</dt><dd><del>3,000,000,000원</del> → <ins>4,200,000,000원</ins></dd>" in page
    )
    assert "<ins>계획 60점, 효과 40점</ins>" in page
    assert "<ins>견적서</ins>" in page


def test_the_filters_narrow_the_rows(client, staff, selected):
    client.force_login(staff)
    only_money = page_of(client, "?action=ledger.commitment")
    assert "약정" in only_money and "선정했습니다" not in only_money
    only_app = page_of(client, f"?target=applicants.application&object={selected.pk}")
    assert "선정했습니다" in only_app and "기금 원장 #" not in only_app
    assert "선정했습니다" not in page_of(client, f"?target=applicants.application&object={selected.pk + 1}")
    assert "선정했습니다" in page_of(client, "?actor=officer")
    assert "선정했습니다" not in page_of(client, "?actor=nobody")
    assert "선정했습니다" not in page_of(client, "?since=2999-01-01")
    assert client.get("/staff/audit/?since=not-a-date").status_code == 200  # ignored, not an error


def test_the_page_runs_the_same_queries_for_1_and_30_rows(client, staff, django_assert_num_queries):
    program = ProgramFactory(agency=staff.agency)
    applications = [
        ApplicationFactory(program=program, status=Application.Status.SCREENING) for _ in range(30)
    ]
    application_transition(application=applications[0], action="reject", actor=staff, note="요건 미달")
    client.force_login(staff)
    page_of(client, "?target=applicants.application")
    with django_assert_num_queries(6) as one:
        assert page_of(client, "?target=applicants.application").count('class="audit-item"') == 1
    for application in applications[1:]:
        application_transition(application=application, action="reject", actor=staff, note="요건 미달")
    with django_assert_num_queries(len(one.captured_queries)):
        assert page_of(client, "?target=applicants.application").count('class="audit-item"') == 30


def test_the_export_holds_the_filtered_rows_in_the_same_words(
    client, staff, selected, django_assert_num_queries
):
    client.force_login(staff)
    with django_assert_num_queries(4):
        response = client.get(f"/staff/audit/export.xlsx?target=applicants.application&object={selected.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("일시", "수행자", "행위")
    assert [row[2] for row in rows[1:]] == ["선정"]
    assert "김사업님이 신청서" in rows[1][4] and "상태: 선정평가 → 선정" in rows[1][5]


def test_the_page_links_to_the_export_with_its_filters(client, staff, selected):
    client.force_login(staff)
    assert 'href="/staff/audit/export.xlsx?actor=officer"' in page_of(client, "?actor=officer")


def test_staff_of_another_agency_read_none_of_it(client, selected):
    other = UserFactory(role=Role.STAFF, agency=AgencyFactory(name="중소기업중앙회"))
    client.force_login(other)
    assert "스마트 라인" not in page_of(client)
    response = client.get("/staff/audit/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "스마트 라인" not in str(list(sheet.iter_rows(values_only=True)))


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_other_roles_get_404(client, role):
    client.force_login(user_with_role(role))
    assert client.get("/staff/audit/").status_code == 404
    assert client.get("/staff/audit/export.xlsx").status_code == 404


def test_an_object_filter_in_other_digits_is_ignored(client, staff, selected):
    client.force_login(staff)
    response = client.get("/staff/audit/?target=applicants.application&object=²")
    assert response.status_code == 200
    assert "선정했습니다" in response.content.decode()


def test_values_read_in_the_words_of_the_app_that_recorded_them(staff, selected):
    from program.audit import audit_rows
    from program.models import AuditEvent
    from program.services import audit_event_record

    audit_event_record(
        actor=staff,
        action="application.disbursement",
        target=selected,
        after={"disbursement": 7, "kind": "final", "amount": 98_158_000},
    )
    audit_event_record(actor=staff, action="mentoring.cancel", target=selected, after={"status": "cancelled"})
    rows = audit_rows(AuditEvent.objects.filter(action__in=["application.disbursement", "mentoring.cancel"]))
    changes = {(str(c.label), c.after) for row in rows for c in row.changes}
    assert changes == {("종류", "잔금"), ("금액", "98,158,000원"), ("상태", "취소")}
    assert {str(row.action) for row in rows} == {"지급 기록", "멘토링 취소"}


@pytest.fixture
def two_companies(staff, selected):
    """한빛정밀 (selected's company) registered and selected; 대성기계's application rejected."""
    audit_event_record(
        actor=staff, action="company.update", target=selected.company, after={"name": "한빛정밀"}
    )
    other = ApplicationFactory(
        program=selected.program, status=Application.Status.SCREENING, company=CompanyFactory(name="대성기계")
    )
    application_transition(application=other, action="reject", actor=staff, note="요건 미달")
    return selected.company, other.company


def test_a_company_search_finds_the_events_about_it_and_its_applications(client, staff, two_companies):
    client.force_login(staff)
    page = page_of(client, "?company=빛정")
    assert page.count('class="audit-item"') == 2  # the company's own event and its application's
    assert "선정했습니다" in page and "기업정보 변경" in page and "대성기계" not in page
    assert 'name="company" type="search" value="빛정"' in page


@pytest.mark.parametrize("written", ["plain", "hyphens", "first digits"])
def test_a_company_search_takes_the_business_number(client, staff, two_companies, written):
    hanbit, _daesung = two_companies
    number = {
        "plain": hanbit.business_number,
        "hyphens": f"{hanbit.business_number[:3]}-{hanbit.business_number[3:5]}-{hanbit.business_number[5:]}",
        "first digits": hanbit.business_number[:9],
    }[written]
    client.force_login(staff)
    page = page_of(client, f"?company={number}")
    assert "선정했습니다" in page and "대성기계" not in page


def test_a_company_search_that_names_no_company_finds_nothing(client, staff, two_companies):
    client.force_login(staff)
    assert 'class="audit-item"' not in page_of(client, "?company=없는회사")


def test_the_export_keeps_the_company_search(client, staff, two_companies):
    client.force_login(staff)
    page = page_of(client, "?company=대성")
    assert 'href="/staff/audit/export.xlsx?company=%EB%8C%80%EC%84%B1"' in page
    response = client.get("/staff/audit/export.xlsx?company=대성")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [row[2] for row in rows] == ["탈락"] and "대성기계" in rows[0][4]


def test_a_company_search_runs_the_same_queries_for_1_and_30_rows(client, staff, django_assert_num_queries):
    company = CompanyFactory(name="한빛정밀")  # one application per program, in 30 programs
    applications = [
        ApplicationFactory(
            program=ProgramFactory(agency=staff.agency), company=company, status=Application.Status.SCREENING
        )
        for _ in range(30)
    ]
    application_transition(application=applications[0], action="reject", actor=staff, note="요건 미달")
    client.force_login(staff)
    page_of(client, "?company=한빛")
    with django_assert_num_queries(6) as one:
        assert page_of(client, "?company=한빛").count('class="audit-item"') == 1
    for application in applications[1:]:
        application_transition(application=application, action="reject", actor=staff, note="요건 미달")
    with django_assert_num_queries(len(one.captured_queries)):
        assert page_of(client, "?company=한빛").count('class="audit-item"') == 30
    with django_assert_num_queries(4):
        client.get("/staff/audit/export.xlsx?company=한빛")
