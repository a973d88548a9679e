"""The evaluator's pages."""

import pytest

from applicants.models import Evaluation
from tests.factories import ApplicationFactory, EvaluatorAssignmentFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

FULL = {"score_plan": 25, "score_capability": 20, "score_impact": 25, "score_partnership": 10}


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
    assert 'id="scores-error"' in body and "숫자로 입력해 주세요" in body
    assert not Evaluation.objects.exists()


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
    with django_assert_num_queries(4):  # session, user, applications, own evaluations
        client.get("/evaluations/")
    EvaluatorAssignmentFactory.create_batch(8, evaluator=evaluator)
    with django_assert_num_queries(4):
        assert client.get("/evaluations/").status_code == 200


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
