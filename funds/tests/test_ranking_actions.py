"""What staff do from the ranking page (issue 17 item 6): select or reject a row through the workflow
service (a refusal at the row, the note kept, nothing changed), and a committee of evaluators for
many applications at once (counts, skips, refusals, audit, scope)."""

import html

import pytest

from applicants.models import Application, EvaluatorAssignment
from funds.models import LedgerEntry
from program.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    ProgramFactory,
    UserFactory,
    fund_program,
)

pytestmark = pytest.mark.django_db
COST = 100_000_000  # 30,000,000 from each pot under the default cost share


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def program():
    program = ProgramFactory()
    fund_program(program, sponsor=100_000_000, government=100_000_000)
    return program


def in_evaluation(program, title, score=None, total_cost=COST):
    return ApplicationFactory(
        program=program, evaluation=True, title=title, score=score, total_cost=total_cost
    )


def decide_url(program, application):
    return f"/staff/programs/{program.pk}/ranking/{application.pk}/decide/"


def committee_url(program):
    return f"/staff/programs/{program.pk}/ranking/committee/"


def ranking_url(program):
    return f"/staff/programs/{program.pk}/ranking/"


def row_of(body: str, application) -> str:
    start = body.index(f'id="rank-{application.pk}"')
    return body[start : body.index("</tr>", start)]


# ---- select / reject


def test_the_ranking_offers_select_and_reject_on_scored_rows_only(staff_client, program):
    scored, unscored = in_evaluation(program, "채점과제", 90), in_evaluation(program, "미채점과제")
    body = staff_client.get(ranking_url(program)).content.decode()
    assert "정부 3,000만\u00a0원·주관기관 3,000만\u00a0원이 약정됩니다." in row_of(body, scored)
    assert decide_url(program, scored) in row_of(body, scored)
    assert decide_url(program, unscored) not in body
    assert "평가 후 선정" in row_of(body, unscored)


def test_select_from_the_ranking_commits_the_money_and_comes_back(staff_client, program):
    application = in_evaluation(program, "일등과제", 90)
    response = staff_client.post(decide_url(program, application), {"action": "select"}, follow=True)
    assert response.redirect_chain == [(ranking_url(program), 302)]
    assert "'일등과제'을(를) 선정했습니다." in html.unescape(response.content.decode())
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    assert sorted(LedgerEntry.objects.filter(application=application).values_list("amount", flat=True)) == [
        30_000_000,
        30_000_000,
    ]
    event = AuditEvent.objects.get(action="application.select", object_id=application.pk)
    assert (event.before, event.after) == ({"status": "evaluation"}, {"status": "selected"})


def test_reject_with_a_note_is_audited_with_it(staff_client, program):
    application = in_evaluation(program, "탈락과제", 50)
    response = staff_client.post(decide_url(program, application), {"action": "reject", "note": "점수 미달"})
    assert response.status_code == 302 and response["Location"] == ranking_url(program)
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert AuditEvent.objects.get(action="application.reject", object_id=application.pk).note == "점수 미달"


def test_reject_without_a_note_answers_400_at_the_field_and_changes_nothing(staff_client, program):
    application = in_evaluation(program, "탈락과제", 50)
    response = staff_client.post(decide_url(program, application), {"action": "reject", "note": "   "})
    assert response.status_code == 400
    row = row_of(response.content.decode(), application)
    assert '<details class="reject" open>' in row
    assert 'aria-invalid="true"' in row and "&#x27;탈락&#x27;에는 사유를 입력해야 합니다." in row
    assert ">   </textarea>" in row  # what was typed is kept
    application.refresh_from_db()
    assert application.status == Application.Status.EVALUATION
    assert not AuditEvent.objects.filter(action="application.reject").exists()


def test_a_row_below_the_cut_line_says_so_and_its_select_is_refused_at_the_row(staff_client):
    program = ProgramFactory()
    fund_program(program, sponsor=50_000_000, government=50_000_000)  # one project of 30,000,000 each
    first, second = in_evaluation(program, "일등과제", 95), in_evaluation(program, "이등과제", 80)
    staff_client.post(decide_url(program, first), {"action": "select"})
    body = staff_client.get(ranking_url(program)).content.decode()
    assert "재원 부족: 선정 기준선 아래" in row_of(body, second)
    assert "선정 기준선 아래에 있습니다" in row_of(body, second)  # in the confirmation too

    response = staff_client.post(decide_url(program, second), {"action": "select"})
    assert response.status_code == 409
    row = row_of(response.content.decode(), second)
    assert (
        'role="alert"' in row
        and "정부 재원 잔액(20,000,000원)이 필요한 금액(30,000,000원)보다 적습니다." in row
    )
    second.refresh_from_db()
    assert second.status == Application.Status.EVALUATION
    assert not LedgerEntry.objects.filter(application=second).exists()


def test_an_unknown_action_is_refused_and_changes_nothing(staff_client, program):
    application = in_evaluation(program, "과제", 90)
    response = staff_client.post(decide_url(program, application), {"action": "withdraw"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.EVALUATION


def test_an_application_of_another_program_answers_404(staff_client, program):
    other = in_evaluation(ProgramFactory(), "다른 사업 과제", 90)
    assert staff_client.post(decide_url(program, other), {"action": "select"}).status_code == 404


def test_another_agencys_staff_gets_404_and_the_ministry_403(client, program):
    application = in_evaluation(program, "과제", 90)
    client.force_login(UserFactory(agency=AgencyFactory(name="중소기업중앙회")))
    assert client.post(decide_url(program, application), {"action": "select"}).status_code == 404
    assert client.post(committee_url(program), {"applications": [application.pk]}).status_code == 404
    client.force_login(UserFactory(ministry=True))
    assert client.post(decide_url(program, application), {"action": "select"}).status_code == 403
    body = client.get(ranking_url(program)).content.decode()
    assert decide_url(program, application) not in body and "committee-form" not in body  # reads only
    application.refresh_from_db()
    assert application.status == Application.Status.EVALUATION


# ---- the committee in bulk


def test_committee_assigns_every_pair_skips_existing_and_audits(staff_client, staff, program):
    kim = UserFactory(evaluator=True, username="kim")
    UserFactory(evaluator=True, username="lee")
    first, second = in_evaluation(program, "일등과제", 90), in_evaluation(program, "이등과제")
    EvaluatorAssignmentFactory(application=first, evaluator=kim, assigned_by=staff)
    response = staff_client.post(
        committee_url(program),
        {"applications": [first.pk, second.pk], "evaluators": ["kim", "lee"]},
        follow=True,
    )
    assert response.redirect_chain == [(ranking_url(program), 302)]
    body = response.content.decode()
    assert "평가위원 3건 배정, 1건 이미 배정" in body
    pairs = set(EvaluatorAssignment.objects.values_list("application__title", "evaluator__username"))
    assert pairs == {("일등과제", "kim"), ("일등과제", "lee"), ("이등과제", "kim"), ("이등과제", "lee")}
    audited = AuditEvent.objects.filter(action="evaluation.assign").values_list("object_id", "after")
    assert sorted((pk, after["evaluator"]) for pk, after in audited) == [
        (first.pk, "lee"),
        (second.pk, "kim"),
        (second.pk, "lee"),
    ]
    for application in (first, second):  # each row's committee size
        assert '<td class="num">2</td>' in row_of(body, application)


def test_committee_reports_each_refused_pair(staff_client, program):
    UserFactory(evaluator=True, username="kim")
    application = in_evaluation(program, "과제", 90)
    response = staff_client.post(
        committee_url(program),
        {"applications": [application.pk], "evaluators": ["kim", "nobody"]},
        follow=True,
    )
    body = response.content.decode()
    assert "평가위원 1건 배정, 0건 이미 배정" in body
    assert "과제 · nobody: 평가위원을 찾을 수 없습니다: nobody" in body
    assert EvaluatorAssignment.objects.filter(application=application).count() == 1


def test_committee_skips_applications_not_in_evaluation_or_of_another_program(staff_client, program):
    UserFactory(evaluator=True, username="kim")
    submitted = ApplicationFactory(program=program, submitted=True)
    elsewhere = in_evaluation(ProgramFactory(), "남의 과제", 90)
    response = staff_client.post(
        committee_url(program),
        {"applications": [submitted.pk, elsewhere.pk], "evaluators": ["kim"]},
        follow=True,
    )
    assert "선정평가 중이 아닌 신청서 2건은 건너뛰었습니다." in response.content.decode()
    assert not EvaluatorAssignment.objects.exists()


def test_committee_without_a_choice_answers_400_with_the_choices_kept(staff_client, program):
    UserFactory(evaluator=True, username="kim")
    application = in_evaluation(program, "과제", 90)
    response = staff_client.post(committee_url(program), {"applications": [application.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "배정할 평가위원을 한 명 이상 선택해 주세요." in body
    assert f'value="{application.pk}" form="committee-form" id="pick-{application.pk}" checked' in body
    response = staff_client.post(committee_url(program), {"evaluators": ["kim"], "applications": ["x"]})
    assert response.status_code == 400
    assert "평가위원을 배정할 신청서를 하나 이상 선택해 주세요." in response.content.decode()
    assert 'value="kim" id=' in response.content.decode() and "checked" in response.content.decode()
    assert not EvaluatorAssignment.objects.exists()


# ---- query counts


@pytest.mark.parametrize("rows", [3, 30])
def test_the_ranking_with_its_forms_runs_a_constant_number_of_queries(
    staff_client, staff, rows, django_assert_num_queries
):
    program = ProgramFactory()
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    evaluators = [UserFactory(evaluator=True) for _ in range(3)]
    for i in range(rows):
        application = in_evaluation(program, f"과제{i}", score=None if i % 3 == 0 else 60 + i)
        EvaluatorAssignmentFactory(application=application, evaluator=evaluators[i % 3], assigned_by=staff)
    # session, user, program, pot balances, applications with their committee sizes, evaluators
    with django_assert_num_queries(7):
        response = staff_client.get(ranking_url(program))
    assert len(response.context["rows"]) == rows
    assert response.content.decode().count('name="evaluators"') == 3
