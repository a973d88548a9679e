"""The staff review queue and detail page (docs/domain.md §11)."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from applicants.models import Application, Company, Message
from applicants.services import application_transition
from funds.services import disbursement_record
from program.models import AuditEvent
from program.services import audit_event_record
from reports.models import Outcome
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
    deposit_sme_share,
    fund_program,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_every_staff_page_is_404_to_other_roles(client, role):
    application = ApplicationFactory(submitted=True)
    client.force_login(user_with_role(role))
    for url in (
        "/staff/applications/",
        f"/staff/applications/{application.pk}/",
        "/staff/applications/export.csv",
    ):
        assert client.get(url).status_code == 404
    for url in ("/staff/applications/bulk/", f"/staff/applications/{application.pk}/transition/"):
        assert client.post(url, {"action": "start_screening", "ids": [application.pk]}).status_code == 404
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/staff/applications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_queue_filters_searches_and_sorts(staff_client):
    a = ApplicationFactory(
        submitted=True, total_cost=300_000_000, company__name="대성금속", company__region="경북"
    )
    b = ApplicationFactory(submitted=True, total_cost=100_000_000, title="비전검사 도입")
    ApplicationFactory(status=S.SCREENING)
    page = staff_client.get("/staff/applications/", {"status": "submitted", "ordering": "-total_cost"})
    rows = list(page.context["page"])
    assert rows == [a, b]
    assert staff_client.get("/staff/applications/", {"q": "대성"}).context["page"].object_list[0] == a
    assert list(staff_client.get("/staff/applications/", {"region": "경북"}).context["page"]) == [a]
    assert list(staff_client.get("/staff/applications/", {"q": "비전검사"}).context["page"]) == [b]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_queue_runs_a_constant_number_of_queries(staff_client, rows, django_assert_num_queries):
    ApplicationFactory.create_batch(rows, submitted=True)
    # session, user, programs for the filter, count, page
    with django_assert_num_queries(6):
        response = staff_client.get("/staff/applications/", {"page_size": 50})
    assert len(response.context["page"]) == rows


def test_user_text_is_escaped(staff_client):
    application = ApplicationFactory(submitted=True, title="<script>alert('x')</script>", plan="<b>굵게</b>")
    body = staff_client.get("/staff/applications/").content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    detail = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "<b>굵게</b>" not in detail and "&lt;b&gt;굵게&lt;/b&gt;" in detail


def test_bulk_start_screening_goes_through_the_workflow(staff_client):
    submitted = ApplicationFactory.create_batch(2, submitted=True)
    draft = ApplicationFactory()
    ids = [a.pk for a in submitted] + [draft.pk]
    response = staff_client.post(
        "/staff/applications/bulk/", {"action": "start_screening", "ids": ids}, follow=True
    )
    assert response.status_code == 200
    statuses = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[a.pk] for a in submitted] == [S.SCREENING, S.SCREENING]
    assert statuses[draft.pk] == S.DRAFT
    assert AuditEvent.objects.filter(action="application.start_screening").count() == 2
    body = response.content.decode()
    assert "2건의 요건검토를 시작했습니다" in body and f"#{draft.pk}" in body


@pytest.mark.parametrize("bad", ["²", "①", "١", "1e3", "-1", "0", str(2**63), "9" * 30])
def test_bulk_with_an_id_that_is_not_a_whole_number_is_refused_and_changes_nothing(staff_client, bad):
    submitted = ApplicationFactory(submitted=True)

    response = staff_client.post(
        "/staff/applications/bulk/", {"action": "start_screening", "ids": [submitted.pk, bad]}, follow=True
    )

    assert response.status_code == 200
    assert "선택한 신청서 번호가 올바르지 않습니다" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert not AuditEvent.objects.filter(action="application.start_screening").exists()


def test_export_csv_and_xlsx_follow_the_filters(staff_client):
    ApplicationFactory(submitted=True, total_cost=123_456_789, company__name="한빛정밀")
    ApplicationFactory(status=S.SCREENING, company__name="다른기업")
    response = staff_client.get("/staff/applications/export.csv", {"status": "submitted"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["접수번호", "사업", "기업명"]
    assert len(rows) == 2 and rows[1][2] == "한빛정밀" and "123456789" in rows[1]
    response = staff_client.get("/staff/applications/export.xlsx", {"status": "submitted"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["C1"].value == "기업명" and sheet["C2"].value == "한빛정밀"
    assert sheet["I2"].value == 123_456_789 and "#,##0" in sheet["I2"].number_format
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.max_row == 2


def test_the_detail_page_shows_the_allowed_actions_and_acts(staff_client):
    application = ApplicationFactory(status=S.SCREENING)
    body = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    for label in ("보완요청", "선정평가 시작", "탈락", "포기"):
        assert f">{label}</button>" in body
    assert ">선정</button>" not in body
    url = f"/staff/applications/{application.pk}/transition/"
    refused = staff_client.post(url, {"action": "reject", "note": ""})
    assert refused.status_code == 400 and "사유" in refused.content.decode()
    conflict = staff_client.post(url, {"action": "complete"})
    assert conflict.status_code == 409
    ok = staff_client.post(url, {"action": "start_evaluation"})
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.status == S.EVALUATION
    history = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "선정평가 시작 → 선정평가" in history


def test_staff_assign_evaluators_from_the_detail_page(staff_client):
    application = ApplicationFactory(status=S.EVALUATION)
    first, second = UserFactory(evaluator=True), UserFactory(evaluator=True)
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert f'value="{first.username}"' in page and f'value="{second.username}"' in page
    url = f"/staff/applications/{application.pk}/evaluators/"
    assert staff_client.post(url, {"evaluator": first.username}).status_code == 302
    assert application.evaluator_assignments.get().evaluator == first
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert f'value="{first.username}"' not in page and f'value="{second.username}"' in page
    again = staff_client.post(url, {"evaluator": first.username})
    assert again.status_code == 400 and "이미 배정된 평가위원입니다." in again.content.decode()
    assert 'aria-describedby="evaluator-error"' in again.content.decode()
    unknown = staff_client.post(url, {"evaluator": "nobody"})
    assert unknown.status_code == 400 and application.evaluator_assignments.count() == 1


def test_evaluators_are_assigned_only_in_evaluation(staff_client):
    application = ApplicationFactory(status=S.SCREENING)
    evaluator = UserFactory(evaluator=True)
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "평가위원 배정" not in page
    response = staff_client.post(
        f"/staff/applications/{application.pk}/evaluators/", {"evaluator": evaluator.username}
    )
    assert response.status_code == 409 and not application.evaluator_assignments.exists()


def test_the_ranking_page_draws_the_cut_line_where_the_money_runs_out(staff_client):
    program = ProgramFactory()
    fund_program(program, sponsor=60_000_000, government=60_000_000)
    # each 100,000,000 costs 30,000,000 from each pot: two fit, the third does not
    for score, title in ((91, "일등"), (85, "이등"), (80, "삼등")):
        ApplicationFactory(
            program=program, status=S.EVALUATION, score=score, title=title, total_cost=100_000_000
        )
    page = staff_client.get(f"/staff/programs/{program.pk}/ranking/").content.decode()
    assert page.index("일등") < page.index("이등") < page.index("여기부터 재원 부족") < page.index("삼등")
    assert (
        staff_client.get("/staff/programs/").content.decode().count(f"/staff/programs/{program.pk}/ranking/")
    )


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_ranking_and_assignment_are_404_to_other_roles(client, role):
    application = ApplicationFactory(status=S.EVALUATION)
    evaluator = UserFactory(evaluator=True)
    client.force_login(user_with_role(role))
    assert client.get(f"/staff/programs/{application.program_id}/ranking/").status_code == 404
    url = f"/staff/applications/{application.pk}/evaluators/"
    assert client.post(url, {"evaluator": evaluator.username}).status_code == 404
    assert not application.evaluator_assignments.exists()


@pytest.mark.parametrize(
    "status,queries",
    [
        # session, user, the application (program, sponsor, company, supplier, cost share joined in), its
        # documents, evaluations and their evaluators, committee and its members, the program's agency
        # and the company's partner sponsor (the summary header), the evaluators to add, mentors,
        # company changes, history, the thread (its messages, their files), the header's unread count,
        # the newest declarations (SPEC §15.1); the support history panel's five (SPEC §15.4: the
        # company's applications and imported records, the ban, the repeat level, the same year's others)
        (S.EVALUATION, 23),
        # less the evaluators to add; plus what is owed, the application and the mentor pool for the
        # suggestions, the payments, the agreement and the suppliers of its draft's form; the spending
        # panel's counts, and the settlement panel's deposits, settlement figures (the ledger, the
        # settlement row, the agreed total, the spending sums) and clawbacks (execution.panels)
        (S.SELECTED, 35),
        # less the suggestions; plus the outcomes, the agreement, the inspection panel's KPI targets
        # (none: no agreement) and inspections, and the agreement changes (projects.panels.changes)
        (S.COMPLETED, 36),
    ],
)
def test_the_detail_page_runs_a_constant_number_of_queries(
    client, staff, status, queries, settings, tmp_path, django_assert_num_queries
):
    """In evaluation the page lists the committee and the evaluators to add; selected, the payments,
    the mentors and the suggestions; completed, the payments and the outcomes."""
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory()
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    application = ApplicationFactory(program=program, status=S.EVALUATION, wants_mentoring=True)
    Company.objects.filter(pk=application.company_id).update(
        is_sponsor_partner=True, partner_of=program.sponsor
    )
    if status != S.EVALUATION:
        application = application_transition(application=application, action="select", actor=staff)
        Application.objects.filter(pk=application.pk).update(status=status)
        deposit_sme_share(application, recorded_by=staff)  # payments wait for it (SPEC §18.2)

    def add(n):
        for _ in range(n):
            member = EvaluatorAssignmentFactory(application=application).evaluator
            EvaluationFactory(application=application, evaluator=member)
            AttachmentFactory(application=application)
            audit_event_record(
                actor=member,
                action="evaluation.assign",
                target=application,
                after={"evaluator": member.username},
            )
            audit_event_record(
                actor=UserFactory(applicant=True), action="company.update", target=application.company,
                before={"employees": 40}, after={"employees": 41},
            )  # fmt: skip
            MentoringAssignmentFactory(application=application)
            Message.objects.create(application=application, author=staff, author_name="김담당", body="메모")
            if status != S.EVALUATION:
                disbursement_record(
                    actor=staff,
                    application=application,
                    amount=1_000_000,
                    kind="advance",
                    paid_on=date(2026, 5, 1),
                )
        if status == S.COMPLETED:  # one outcome a KPI: ten at most
            for kpi in Outcome.Kpi.values[Outcome.objects.count() :][:n]:
                Outcome.objects.create(
                    application=application, kpi=kpi, baseline=50, result=60, measured_on=date(2026, 11, 2)
                )

    add(2)
    client.force_login(staff)
    url = f"/staff/applications/{application.pk}/"
    client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(queries):
        client.get(url)
    add(10)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["application"].evaluations.all()) == 12
    assert len(response.context["mentoring"]) == len(response.context["company_changes"]) == 12
