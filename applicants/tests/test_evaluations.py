"""Evaluation (docs/domain.md §5): assignment, conflicts, rubric scoring and the trimmed-mean score."""

from decimal import Decimal

import pytest

from applicants.models import Application, Evaluation
from tests.factories import ApplicationFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db

FULL = {"plan": 30, "capability": 25, "impact": 30, "partnership": 15}


def scores_totalling(total: int) -> dict:
    scores, left = {}, total
    for key, most in FULL.items():
        scores[key] = min(most, left)
        left -= scores[key]
    return scores


@pytest.fixture
def application():
    return ApplicationFactory(evaluation=True)


def assign(staff, application, count=1):
    evaluators = [UserFactory(evaluator=True) for _ in range(count)]
    for evaluator in evaluators:
        response = api_client(staff).post(
            f"/api/v1/applications/{application.pk}/evaluators/", {"evaluator": evaluator.username}
        )
        assert response.status_code == 201, response.json()
    return evaluators


def score(evaluator, application, scores, bonus=0, conflict=False):
    body = {"application": application.pk, "conflict_of_interest": conflict, "scores": scores, "bonus": bonus}
    return api_client(evaluator).post("/api/v1/evaluations/", body, format="json")


def test_an_assigned_evaluator_scores_against_the_rubric(staff, application):
    (evaluator,) = assign(staff, application)
    response = score(
        evaluator, application, {"plan": 25, "capability": 20, "impact": 24, "partnership": 11}, 6
    )
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == 86
    application.refresh_from_db()
    assert application.score == Decimal("86.00")


def test_the_score_drops_the_highest_and_lowest_of_five(staff, application):
    evaluators = assign(staff, application, 5)
    totals = [100, 80, 40, 85, 82]
    for evaluator, total in zip(evaluators, totals, strict=True):
        assert score(evaluator, application, scores_totalling(total)).status_code == 201
    application.refresh_from_db()
    assert application.score == Decimal("82.33")


def test_a_conflicted_evaluator_cannot_score_and_does_not_count(staff, application):
    first, second = assign(staff, application, 2)
    assert score(first, application, {}, conflict=True).status_code == 201
    later = score(first, application, FULL)
    assert later.status_code == 409 and later.json()["code"] == "conflicted"
    score(second, application, FULL)
    application.refresh_from_db()
    assert application.score == Decimal("100.00")


def test_declaring_no_conflict_first_then_scoring(staff, application):
    (evaluator,) = assign(staff, application)
    declared = score(evaluator, application, {})
    assert declared.status_code == 201 and declared.json()["total"] is None
    assert score(evaluator, application, FULL, 12).json()["total"] == 112
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(
    "scores,bonus,field",
    [
        ({"plan": 31, "capability": 25, "impact": 30, "partnership": 15}, 0, "scores"),
        ({"plan": -1, "capability": 25, "impact": 30, "partnership": 15}, 0, "scores"),
        ({"plan": 30}, 0, "scores"),
        (FULL, 4, "bonus"),
        (FULL, 15, "bonus"),
    ],
)
def test_scores_outside_the_rubric_are_refused(staff, application, scores, bonus, field):
    (evaluator,) = assign(staff, application)
    response = score(evaluator, application, scores, bonus)
    assert response.status_code == 400
    assert field in response.json()
    application.refresh_from_db()
    assert application.score is None and not Evaluation.objects.exists()


def test_a_conflict_left_out_is_no_conflict(staff, application):
    """Found by the API fuzzer (tests/test_api_fuzz.py): the schema makes `conflict_of_interest`
    optional, and leaving it out answered 500."""
    (evaluator,) = assign(staff, application)
    body = {"application": application.pk, "scores": FULL}
    response = api_client(evaluator).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["conflict_of_interest"], response.json()["total"]) == (False, 100)


@pytest.mark.parametrize("body", [[], [{"application": 1}], "80", 80])
def test_a_body_that_is_not_an_object_is_refused_with_400(staff, application, body):
    """Found by the API fuzzer (tests/test_api_fuzz.py): a JSON list or scalar answered 500."""
    (evaluator,) = assign(staff, application)
    response = api_client(evaluator).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400
    assert "딕셔너리" in response.json()["non_field_errors"][0]
    assert not Evaluation.objects.exists()


def test_an_evaluator_sees_only_its_assignments(staff, application):
    (evaluator,) = assign(staff, application)
    other = ApplicationFactory(evaluation=True)
    client = api_client(evaluator)
    assert [r["id"] for r in client.get("/api/v1/applications/").json()["results"]] == [application.pk]
    assert client.get(f"/api/v1/applications/{other.pk}/").status_code == 404
    assert score(evaluator, other, FULL).status_code == 404
    stranger = UserFactory(evaluator=True)
    assert score(stranger, application, FULL).status_code == 404
    assert api_client(stranger).get("/api/v1/evaluations/").json()["count"] == 0


def test_only_staff_assign_and_only_in_evaluation(staff):
    submitted = ApplicationFactory(submitted=True)
    evaluator = UserFactory(evaluator=True)
    url = f"/api/v1/applications/{submitted.pk}/evaluators/"
    assert api_client(staff).post(url, {"evaluator": evaluator.username}).status_code == 409
    in_evaluation = ApplicationFactory(evaluation=True)
    url = f"/api/v1/applications/{in_evaluation.pk}/evaluators/"
    assert api_client(staff).post(url, {"evaluator": "nobody"}).status_code == 400
    assert api_client(staff).post(url, {"evaluator": evaluator.username}).status_code == 201
    assert api_client(staff).post(url, {"evaluator": evaluator.username}).status_code == 400
    owner = UserFactory(role="applicant", company=in_evaluation.company)
    assert api_client(owner).post(url, {"evaluator": evaluator.username}).status_code == 403


def test_scoring_closes_with_the_evaluation_stage(staff, application):
    (evaluator,) = assign(staff, application)
    Application.objects.filter(pk=application.pk).update(status="selected")
    response = score(evaluator, application, FULL)
    assert response.status_code == 409 and response.json()["code"] == "not_in_evaluation"


def test_the_ranking_marks_the_cut_line_where_the_money_runs_out(staff):
    from tests.factories import ProgramFactory, fund_program

    program = ProgramFactory()
    # each 100,000,000 needs 30,000,000 from each pot; the pots hold two and a half projects
    best, second, third = (
        ApplicationFactory(program=program, evaluation=True, total_cost=100_000_000, score=s)
        for s in (90, 85, 80)
    )
    unscored = ApplicationFactory(program=program, evaluation=True, total_cost=1_000_000)
    fund_program(program, sponsor=75_000_000, government=75_000_000)
    rows = api_client(staff).get(f"/api/v1/programs/{program.pk}/ranking/").json()
    assert [(r["application"], r["rank"], r["funded"]) for r in rows] == [
        (best.pk, 1, True),
        (second.pk, 2, True),
        (third.pk, 3, False),
        (unscored.pk, None, False),  # not scored yet: unranked, claims no money
    ]
    assert rows[0]["government"] == 30_000_000
    owner = UserFactory(role="applicant", company=best.company)
    assert api_client(owner).get(f"/api/v1/programs/{program.pk}/ranking/").status_code == 404
