"""The evaluator's pages."""

import html
import re

import pytest

from applicants.models import Application, Evaluation
from tests.factories import (
    ApplicationFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

FULL = {"score_plan": 25, "score_capability": 20, "score_impact": 25, "score_partnership": 10}
SAVED = {"plan": 20, "capability": 20, "impact": 20, "partnership": 10}


@pytest.fixture
def assignment():
    return EvaluatorAssignmentFactory()


def test_an_evaluator_sees_only_its_assignments(client, assignment):
    other = ApplicationFactory(evaluation=True, title="남의 신청서")
    client.force_login(assignment.evaluator)
    body = client.get("/evaluations/").content.decode()
    assert assignment.application.title in body and "남의 신청서" not in body
    assert client.get(f"/evaluations/{other.pk}/").status_code == 404


def test_an_evaluator_scores_and_the_application_score_follows(client, assignment):
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "no", "bonus": "3", **FULL}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.total, evaluation.bonus) == (83, 3)
    assignment.application.refresh_from_db()
    assert assignment.application.score == 83


def test_a_score_over_the_maximum_is_refused_on_the_page(client, assignment):
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/",
        {"conflict_of_interest": "no", **FULL, "score_plan": "31"},
    )
    assert response.status_code == 400
    assert "0~30점" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_score_that_is_not_a_number_is_shown_on_the_scores(client, assignment):
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/",
        {"conflict_of_interest": "no", **FULL, "score_plan": "많이"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_score_plan-error"' in body and "숫자로 입력해 주세요" in body
    assert not Evaluation.objects.exists()


def _checked(body: str, name: str, value: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', body)
    return tag is not None and " checked" in tag.group(0)


def test_a_refused_evaluation_keeps_everything_typed(client, assignment):
    client.force_login(assignment.evaluator)
    typed = {**FULL, "score_plan": "31", "bonus": "6", "comment": "계획이 구체적임"}
    response = client.post(
        f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "no", **typed}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "0~30점" in body
    assert _checked(body, "conflict_of_interest", "no")
    for name in ("score_plan", "score_capability", "score_impact", "score_partnership"):
        assert f'name="{name}" value="{typed[name]}"' in body
    assert '<option value="6" selected>' in body
    assert "계획이 구체적임</textarea>" in body


def test_a_bad_score_is_shown_at_its_field_with_the_rest_kept(client, assignment):
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/",
        {"conflict_of_interest": "no", **FULL, "score_impact": "²"},
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert 'id="id_score_impact-error"' in body and "'기대효과'은(는) 숫자로 입력해 주세요." in body
    assert 'name="score_plan" value="25"' in body and 'name="score_impact" value="²"' in body
    assert _checked(body, "conflict_of_interest", "no")


def test_a_missing_conflict_declaration_is_asked_for_and_the_scores_kept(client, assignment):
    client.force_login(assignment.evaluator)
    response = client.post(f"/evaluations/{assignment.application_id}/", FULL)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="coi-error"' in body and "이해충돌 여부를 선택해 주세요." in body
    assert 'name="score_capability" value="20"' in body
    assert not Evaluation.objects.exists()


def test_editing_a_saved_evaluation_keeps_the_new_values_on_error(client, assignment):
    EvaluationFactory(
        application=assignment.application, evaluator=assignment.evaluator, scores={**SAVED}, total=70
    )
    client.force_login(assignment.evaluator)
    page = client.get(f"/evaluations/{assignment.application_id}/").content.decode()
    assert 'name="score_plan" value="20"' in page and _checked(page, "conflict_of_interest", "no")
    response = client.post(
        f"/evaluations/{assignment.application_id}/",
        {"conflict_of_interest": "no", **FULL, "score_plan": "29", "score_partnership": "16"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="score_plan" value="29"' in body and 'name="score_partnership" value="16"' in body
    assert Evaluation.objects.get().scores["plan"] == 20


def test_a_declared_conflict_stops_scoring(client, assignment):
    client.force_login(assignment.evaluator)
    client.post(f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "yes"})
    evaluation = Evaluation.objects.get()
    assert evaluation.conflict_of_interest and evaluation.total is None
    page = client.get(f"/evaluations/{assignment.application_id}/").content.decode()
    assert "이해충돌을 신고하여" in page and "<form" not in page.split("<h2>평가</h2>")[1]
    again = client.post(f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "no", **FULL})
    assert again.status_code == 409


@pytest.mark.parametrize("role", ["staff", "applicant", "mentor"])
def test_other_roles_get_404(client, assignment, role):
    client.force_login(user_with_role(role))
    assert client.get("/evaluations/").status_code == 404
    assert client.get(f"/evaluations/{assignment.application_id}/").status_code == 404


def test_the_list_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    evaluator = UserFactory(evaluator=True)
    EvaluatorAssignmentFactory.create_batch(2, evaluator=evaluator)
    client.force_login(evaluator)
    with django_assert_num_queries(
        5
    ):  # session, user, the tabs' counts, the page's rows, the header's unread count
        client.get("/evaluations/")
    EvaluatorAssignmentFactory.create_batch(30, evaluator=evaluator)
    for tab in ("todo", "all"):
        with django_assert_num_queries(5):
            assert client.get(f"/evaluations/?tab={tab}&page=2").status_code == 200


def _listed(response) -> list[str]:
    return [application.title for application in response.context["rows"]]


@pytest.fixture
def evaluator_with_work():
    """One evaluator with two applications to score, one scored, one conflicted, one closed."""
    evaluator = UserFactory(evaluator=True)
    for title in ("할일1", "할일2"):
        EvaluatorAssignmentFactory(evaluator=evaluator, application__title=title)
    done = EvaluatorAssignmentFactory(evaluator=evaluator, application__title="채점함").application
    EvaluationFactory(application=done, evaluator=evaluator, scores={**SAVED}, total=70)
    conflicted = EvaluatorAssignmentFactory(evaluator=evaluator, application__title="충돌").application
    EvaluationFactory(
        application=conflicted, evaluator=evaluator, conflict_of_interest=True, scores={}, total=None
    )
    EvaluatorAssignmentFactory(
        evaluator=evaluator, application__title="마감", application__status=Application.Status.SELECTED
    )
    # Someone else's work on the same application is not this evaluator's.
    EvaluationFactory(application=Application.objects.get(title="할일1"), scores={**SAVED}, total=70)
    return evaluator


def test_the_list_opens_on_what_is_left_to_score_with_counts(client, evaluator_with_work):
    client.force_login(evaluator_with_work)
    response = client.get("/evaluations/")
    assert sorted(_listed(response)) == ["할일1", "할일2"]
    body = response.content.decode()
    assert 'href="?tab=todo" aria-current="page"' in body
    for label, count in (("평가할 신청서", 2), ("평가 완료", 1), ("이해충돌 신고", 1), ("전체", 5)):
        assert f'{label} <span class="count">({count})</span>' in body


@pytest.mark.parametrize(
    ("tab", "titles"),
    [("done", ["채점함"]), ("conflicted", ["충돌"]), ("all", ["할일1", "할일2", "채점함", "충돌", "마감"])],
)
def test_the_list_filters_by_tab(client, evaluator_with_work, tab, titles):
    client.force_login(evaluator_with_work)
    listed = _listed(client.get(f"/evaluations/?tab={tab}"))
    assert sorted(listed) == sorted(titles)
    if tab == "all":
        assert sorted(listed[:2]) == ["할일1", "할일2"]  # to-do first


def test_the_list_is_paged(client):
    evaluator = UserFactory(evaluator=True)
    EvaluatorAssignmentFactory.create_batch(25, evaluator=evaluator)
    EvaluatorAssignmentFactory.create_batch(3)  # other evaluators' work
    client.force_login(evaluator)
    first = client.get("/evaluations/")
    assert len(_listed(first)) == 20 and "1 / 2쪽" in first.content.decode()
    second = client.get("/evaluations/?tab=todo&page=2")
    assert len(_listed(second)) == 5
    assert not set(_listed(first)) & set(_listed(second))
    assert client.get("/evaluations/?tab=nonsense&page=x").status_code == 200


@pytest.mark.parametrize("field", ["score_plan", "bonus"])
@pytest.mark.parametrize("raw", ["²", "①", "--5", "١٢", "9" * 5000])
def test_a_score_or_bonus_in_other_digits_is_a_field_error(client, assignment, field, raw):
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "no", **FULL, field: raw}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "숫자로 입력해 주세요" in body or "가점은 0, 3, 6, 9, 12점 중 하나" in body
    assert not Evaluation.objects.exists()
