"""Every request is checked once for what no endpoint or page can take (config/parsers.py,
config/middleware.py; issue 13 items 8 and 9): a NUL character anywhere, and JSON nested too deep.
Each answers 400 with a Korean message and changes nothing.

PostgreSQL cannot store a NUL in text or jsonb (a 500 before the fix); SQLite stores it. So the tests
assert the 400 and that nothing changed, which fails before the fix on either database.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from applicants.models import Application, Evaluation, EvaluatorAssignment, Supplier
from program.models import AuditEvent
from tests.factories import ApplicationFactory, EvaluatorAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the token endpoint's throttle: earlier tests' requests must not answer these with 429
    yield
    cache.clear()


NUL_MESSAGE = "허용되지 않는 NUL 문자"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_refused_for_nul(response):
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert NUL_MESSAGE in response.json()["detail"]


# --- NUL in JSON bodies --------------------------------------------------------------------------


def test_a_transition_note_with_nul_changes_nothing(staff):
    application = ApplicationFactory(submitted=True)
    response = api(staff).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"action": "start_screening", "note": "메모\x00"},
        format="json",
    )
    assert_refused_for_nul(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="application.start_screening").exists()


def test_an_evaluation_comment_or_score_key_with_nul_is_refused():
    assignment = EvaluatorAssignmentFactory()
    client = api(assignment.evaluator)
    body = {"application": assignment.application_id, "conflict_of_interest": False}
    assert_refused_for_nul(client.post("/api/v1/evaluations/", {**body, "comment": "\x00"}, format="json"))
    assert_refused_for_nul(
        client.post("/api/v1/evaluations/", {**body, "scores": {"plan\x00": 3}}, format="json")
    )
    assert not Evaluation.objects.exists()


def test_solution_areas_with_nul_are_refused(staff):
    body = {
        "name": "공급기업",
        "business_number": "1234567891",
        "solution_areas": ["mes\x00"],
        "region": "경기",
    }
    assert_refused_for_nul(api(staff).post("/api/v1/suppliers/", body, format="json"))
    assert not Supplier.objects.exists()


def test_an_evaluator_username_with_nul_is_refused(staff):
    application = ApplicationFactory(evaluation=True)
    response = api(staff).post(
        f"/api/v1/applications/{application.pk}/evaluators/", {"evaluator": "evaluator\x00"}, format="json"
    )
    assert_refused_for_nul(response)
    assert not EvaluatorAssignment.objects.exists()


def test_a_nul_in_a_form_encoded_api_body_is_refused(staff):
    application = ApplicationFactory(submitted=True)
    url = f"/api/v1/applications/{application.pk}/transitions/"
    assert_refused_for_nul(api(staff).post(url, {"action": "start_screening", "note": "\x00"}))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_anonymous_token_endpoint_refuses_nul():
    UserFactory(username="officer")
    response = api().post("/api/v1/auth/token/", {"username": "officer\x00", "password": "x"}, format="json")
    assert_refused_for_nul(response)


# --- NUL in query strings and page forms -------------------------------------------------------------


@pytest.mark.parametrize("query", ["action=%00", "actor=a%00", "target=applicants.application%00", "%00=1"])
def test_an_audit_filter_with_nul_is_a_400_page(client, staff, query):
    client.force_login(staff)
    response = client.get(f"/staff/audit/?{query}")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/applications/?q=%00", "/api/v1/programs/?status=%00"])
def test_an_api_filter_with_nul_is_a_400(staff, url):
    assert_refused_for_nul(api(staff).get(url))


def test_a_page_form_with_nul_changes_nothing(client, staff):
    application = ApplicationFactory(submitted=True)
    client.force_login(staff)
    response = client.post(
        f"/staff/applications/{application.pk}/transition/", {"action": "start_screening", "note": "a\x00b"}
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_evaluator_comment_with_nul_changes_nothing(client):
    assignment = EvaluatorAssignmentFactory()
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/evaluations/{assignment.application_id}/", {"conflict_of_interest": "yes", "comment": "\x00"}
    )
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


# --- JSON nested too deep ---------------------------------------------------------------------------


def deep_array(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_object(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def assert_refused_as_too_deep(response):
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert "너무 깊게 중첩" in response.json()["detail"]


@pytest.mark.parametrize("levels", [33, 1_000, 100_000])
@pytest.mark.parametrize("body", [deep_array, deep_object])
def test_deep_json_to_the_anonymous_token_endpoint_is_a_400(body, levels):
    response = api().post("/api/v1/auth/token/", body(levels), content_type="application/json")
    assert_refused_as_too_deep(response)


@pytest.mark.parametrize("body", [deep_array, deep_object])
def test_deep_json_to_an_authenticated_endpoint_is_a_400_and_changes_nothing(staff, body):
    application = ApplicationFactory(submitted=True)
    wrapped = '{"action": "start_screening", "note": "x", "extra": ' + body(1_000) + "}"
    url = f"/api/v1/applications/{application.pk}/transitions/"
    assert_refused_as_too_deep(api(staff).post(url, wrapped, content_type="application/json"))
    assert_refused_as_too_deep(
        api(staff).post("/api/v1/suppliers/", body(40), content_type="application/json")
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_json_up_to_the_limit_is_read(staff):
    application = ApplicationFactory(submitted=True)
    nested = '{"action": "start_screening", "note": "x", "extra": ' + deep_array(31) + "}"
    response = api(staff).post(
        f"/api/v1/applications/{application.pk}/transitions/", nested, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_malformed_multipart_api_body_is_a_400(staff):
    response = api(staff).post(
        "/api/v1/suppliers/", b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 400
