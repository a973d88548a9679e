"""The staff application page assembled from panels (applicants/panels.py), and applicants' own panels:
the documents and the evaluations."""

import pytest

from applicants.models import Application
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_page_draws_the_panels_in_their_frames_in_the_settings_order(staff_client, settings):
    application = ApplicationFactory(status=S.SELECTED)
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    frames = [page.index(f'<div id="panel-{name}" class="panel">') for name in ("mentors", "payments")]
    frames += [page.index(f'<div id="panel-{name}" class="panel">') for name in ("documents", "evaluations")]
    assert page.index("<h2>처리</h2>") < frames[0] and frames == sorted(frames)
    assert frames[-1] < page.index("<h2>처리 이력</h2>")
    assert 'id="panel-outcomes"' not in page  # nothing to show while the project is under way
    swapped = ["applicants.panels.evaluations", "applicants.panels.documents"]
    settings.PLUGINS = {"application_panels": swapped}
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert page.index('id="panel-evaluations"') < page.index('id="panel-documents"')
    assert 'id="panel-payments"' not in page


def test_the_documents_panel_alone(staff_client, settings, tmp_path, django_assert_num_queries):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(status=S.SUBMITTED)
    url = f"/staff/applications/{application.pk}/panels/documents/"
    AttachmentFactory(application=application)
    staff_client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(4):  # session, user, the application, its documents
        staff_client.get(url)
    for _ in range(4):
        AttachmentFactory(application=application)
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    body = response.content.decode()
    assert body.startswith('<div id="panel-documents" class="panel">') and "<html" not in body
    assert body.count("/attachments/") == 5


def test_the_evaluations_panel_alone(staff_client, django_assert_num_queries):
    application = ApplicationFactory(status=S.EVALUATION)
    url = f"/staff/applications/{application.pk}/panels/evaluations/"

    def add(n):
        for _ in range(n):
            member = EvaluatorAssignmentFactory(application=application).evaluator
            EvaluationFactory(application=application, evaluator=member)
            UserFactory(evaluator=True)

    add(2)
    staff_client.get(url)  # warm the session and content-type caches
    # session, user, the application, evaluations and their evaluators, committee and its members, the
    # evaluators to add
    with django_assert_num_queries(8):
        staff_client.get(url)
    add(10)
    with django_assert_num_queries(8):
        response = staff_client.get(url)
    body = response.content.decode()
    assert body.startswith('<div id="panel-evaluations" class="panel">') and "<html" not in body
    assert body.count("<option ") == 12  # the evaluators not on the committee yet


def test_a_refused_evaluator_answers_htmx_with_the_panel_and_its_error(staff_client):
    application = ApplicationFactory(status=S.EVALUATION)
    member = EvaluatorAssignmentFactory(application=application).evaluator
    UserFactory(evaluator=True)
    url = f"/staff/applications/{application.pk}/evaluators/"
    response = staff_client.post(url, {"evaluator": member.username}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 400
    assert body.startswith('<div id="panel-evaluations" class="panel">') and "<html" not in body
    assert "이미 배정된 평가위원입니다." in body and 'aria-describedby="evaluator-error"' in body
    assert 'hx-target="#panel-evaluations"' in body and 'hx-swap="outerHTML"' in body


def test_an_assigned_evaluator_sends_htmx_to_the_page_again(staff_client):
    application = ApplicationFactory(status=S.EVALUATION)
    evaluator = UserFactory(evaluator=True)
    url = f"/staff/applications/{application.pk}/evaluators/"
    response = staff_client.post(url, {"evaluator": evaluator.username}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/staff/applications/{application.pk}/"
    assert "HX-Refresh" not in response
    assert application.evaluator_assignments.get().evaluator == evaluator


def test_a_panel_not_in_the_settings_is_404(staff_client, settings):
    application = ApplicationFactory(status=S.SELECTED)
    settings.PLUGINS = {"application_panels": ["applicants.panels.documents"]}
    response = staff_client.get(f"/staff/applications/{application.pk}/panels/payments/")
    assert response.status_code == 404
