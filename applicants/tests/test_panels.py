"""The staff application page assembled from panels (applicants/panels.py), and applicants' own panels:
the documents and the evaluations."""

import pytest

from applicants.models import Application
from applicants.panels import Panel, documents, panel
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


def _tab(page: str, key: str) -> str:
    """The HTML of the page's tab panel `key` (up to the next one)."""
    start = page.index(f'<section class="tab-panel" id="tab-{key}"')
    following = page.find('<section class="tab-panel"', start + 1)
    return page[start : following if following != -1 else len(page)]


def test_the_page_draws_the_panels_in_their_tabs_below_the_actions(staff_client, settings):
    application = ApplicationFactory(status=S.SELECTED)
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    tabs = ["overview", "documents", "evaluation", "funds", "mentoring", "history"]
    starts = [page.index(f'<section class="tab-panel" id="tab-{key}"') for key in tabs]
    assert page.index('<h2 id="actions-title">처리</h2>') < starts[0] and starts == sorted(starts)
    for key, name in [("documents", "documents"), ("evaluation", "evaluations"), ("funds", "payments")]:
        assert f'<div id="panel-{name}" class="panel">' in _tab(page, key)
    assert '<div id="panel-mentors" class="panel">' in _tab(page, "mentoring")
    assert "<h2>처리 이력</h2>" in _tab(page, "history")
    assert 'id="panel-outcomes"' not in page and 'id="tab-outcomes"' not in page  # nothing to show yet
    # the tab list: one tab per panel drawn, each its fragment, the overview open; hidden until tabs.js runs
    assert '<div class="tab line" data-tabs-list hidden>' in page
    for key in tabs:
        assert f'href="#tab-{key}" aria-controls="tab-{key}"' in page
    assert (
        'id="tab-overview-tab" href="#tab-overview" aria-controls="tab-overview" aria-selected="true"' in page
    )
    assert 'aria-controls="tab-funds" aria-selected="false" tabindex="-1"' in page
    assert 'role="tabpanel" aria-labelledby="tab-documents-tab"' in page and "js/tabs.js" in page


def test_panels_of_one_tab_keep_the_settings_order(staff_client, settings):
    application = ApplicationFactory(status=S.SELECTED)
    settings.PLUGINS = {
        "application_panels": ["applicants.panels.evaluations", "applicants.panels.documents"]
    }
    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert page.index('id="panel-documents"') < page.index('id="panel-evaluations"')  # tabs: a life's order
    assert 'id="panel-payments"' not in page and 'id="tab-funds"' not in page
    moved = Panel(name="documents", template="applicants/panels/documents.html", context=documents.context)
    assert moved.tab == "overview"  # a panel that names no tab shows in the overview
    assert panel(name="x", template="x.html", tab="nowhere")(documents.context).tab == "overview"


def test_a_failed_panel_form_without_javascript_opens_its_tab(staff_client):
    application = ApplicationFactory(status=S.EVALUATION)
    url = f"/staff/applications/{application.pk}/evaluators/"
    page = staff_client.post(url, {"evaluator": "nobody"})
    assert page.status_code in (400, 404, 409)
    body = page.content.decode()
    assert 'data-tabs-open="tab-evaluation"' in body
    assert 'aria-controls="tab-evaluation" aria-selected="true"' in body


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
    assert body.count('class="file-name"') == 5


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
