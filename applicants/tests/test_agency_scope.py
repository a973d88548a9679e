"""Applications, evaluations and documents by agency (SPEC §14): staff of agency A see and act on A's
applications, staff of agency B get 404 for them, the ministry reads every agency's and writes nothing
(403). Companies, suppliers and evaluator users stay a shared register."""

import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse

from applicants.models import Application
from applicants.services import application_transition, evaluator_assign
from config.errors import NotAllowed
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    AttachmentFactory,
    EvaluationFactory,
    ProgramFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def staff_a():
    return UserFactory(role="staff")  # the factories' one agency, that of every ProgramFactory


@pytest.fixture
def kbiz():
    return AgencyFactory(name="중소기업중앙회")


@pytest.fixture
def staff_b(kbiz):
    return UserFactory(agency=kbiz)


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


@pytest.fixture
def application():
    """Agency A's application, in screening, with a document and an evaluator's score."""
    application = ApplicationFactory(status=S.EVALUATION, program=ProgramFactory(title="협력재단 사업"))
    AttachmentFactory(application=application)
    EvaluationFactory(application=application)
    return application


@pytest.fixture
def other(kbiz):
    """Agency B's application."""
    return ApplicationFactory(submitted=True, program=ProgramFactory(agency=kbiz, title="중기중앙회 사업"))


def _pages(application):
    pk = application.pk
    attachment = application.attachments.get()
    return [
        f"/staff/applications/{pk}/",
        f"/staff/applications/{pk}/panels/documents/",
        f"/staff/applications/{pk}/panels/evaluations/",
        f"/applications/{pk}/attachments/{attachment.pk}/",
    ]


def test_the_agencys_staff_open_its_application_pages(client, staff_a, application):
    client.force_login(staff_a)
    for url in _pages(application):
        assert client.get(url).status_code == 200, url


def test_another_agencys_staff_get_404_for_every_page(client, staff_b, application):
    client.force_login(staff_b)
    for url in _pages(application):
        assert client.get(url).status_code == 404, url
    pk = application.pk
    assert client.post(f"/staff/applications/{pk}/transition/", {"action": "select"}).status_code == 404
    evaluator = UserFactory(evaluator=True)
    response = client.post(f"/staff/applications/{pk}/evaluators/", {"evaluator": evaluator.username})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == S.EVALUATION and not application.evaluator_assignments.exists()


def test_the_ministry_reads_every_page_without_actions_and_writes_nothing(client, ministry, application):
    client.force_login(ministry)
    for url in _pages(application):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert 'name="action"' not in page and 'name="evaluator"' not in page
    pk = application.pk
    assert client.post(f"/staff/applications/{pk}/transition/", {"action": "reject"}).status_code == 403
    evaluator = UserFactory(evaluator=True)
    response = client.post(f"/staff/applications/{pk}/evaluators/", {"evaluator": evaluator.username})
    assert response.status_code == 403
    bulk = {"action": "start_screening", "ids": [pk]}
    assert client.post("/staff/applications/bulk/", bulk).status_code == 403
    application.refresh_from_db()
    assert application.status == S.EVALUATION and not application.evaluator_assignments.exists()


def test_the_queue_and_its_program_filter_show_the_agencys_own(client, staff_a, staff_b, application, other):
    client.force_login(staff_b)
    page = client.get("/staff/applications/").content.decode()
    assert other.title in page and application.title not in page
    assert "중기중앙회 사업" in page and "협력재단 사업" not in page
    # A filter on another agency's program finds nothing rather than its applications.
    filtered = client.get(f"/staff/applications/?program={application.program_id}").content.decode()
    assert application.title not in filtered
    client.force_login(staff_a)
    page = client.get("/staff/applications/").content.decode()
    assert application.title in page and other.title not in page


def test_the_ministry_queue_shows_every_agency(client, ministry, application, other):
    client.force_login(ministry)
    page = client.get("/staff/applications/").content.decode()
    assert application.title in page and other.title in page
    assert "중기중앙회 사업" in page and "협력재단 사업" in page


def test_the_queue_takes_the_same_queries_with_two_agencies(
    client, staff_b, application, other, kbiz, django_assert_num_queries
):
    client.force_login(staff_b)
    client.get("/staff/applications/")
    with django_assert_num_queries(6) as few:
        client.get("/staff/applications/")
    ApplicationFactory.create_batch(3, submitted=True, program=other.program)
    ApplicationFactory.create_batch(3, submitted=True, program=application.program)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/staff/applications/").content.decode()
    assert page.count('name="ids"') == 4


def test_exports_keep_to_the_agency(client, staff_b, ministry, application, other):
    client.force_login(staff_b)
    csv_text = b"".join(client.get("/staff/applications/export.csv").streaming_content).decode("utf-8-sig")
    assert other.title in csv_text and application.title not in csv_text
    client.force_login(ministry)
    csv_text = b"".join(client.get("/staff/applications/export.csv").streaming_content).decode("utf-8-sig")
    assert other.title in csv_text and application.title in csv_text


def test_bulk_actions_leave_another_agencys_rows_alone(client, staff_b, other, kbiz):
    mine = ApplicationFactory(submitted=True, program=other.program)
    theirs = ApplicationFactory(submitted=True)
    client.force_login(staff_b)
    client.post("/staff/applications/bulk/", {"action": "start_screening", "ids": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (S.SCREENING, S.SUBMITTED)


def test_the_api_answers_404_to_another_agencys_staff(staff_b, application):
    client = api_client(staff_b)
    base = f"/api/v1/applications/{application.pk}"
    assert client.get("/api/v1/applications/").json()["count"] == 0
    for url in (base + "/", base + "/history/", base + "/cost-share/"):
        assert client.get(url).status_code == 404, url
    assert client.post(base + "/transitions/", {"action": "reject", "note": "x"}).status_code == 404
    evaluator = UserFactory(evaluator=True)
    assert client.post(base + "/evaluators/", {"evaluator": evaluator.username}).status_code == 404
    assert client.get("/api/v1/evaluations/").json()["count"] == 0
    application.refresh_from_db()
    assert application.status == S.EVALUATION


def test_the_api_lets_the_ministry_read_and_not_write(ministry, application, other):
    client = api_client(ministry)
    base = f"/api/v1/applications/{application.pk}"
    assert client.get("/api/v1/applications/").json()["count"] == 2
    assert client.get(base + "/").status_code == 200
    assert client.get(base + "/history/").status_code == 200
    assert client.get("/api/v1/evaluations/").json()["count"] == 1
    assert client.post(base + "/transitions/", {"action": "reject", "note": "x"}).status_code == 403
    evaluator = UserFactory(evaluator=True)
    assert client.post(base + "/evaluators/", {"evaluator": evaluator.username}).status_code == 403
    assert client.patch(base + "/", {"title": "바꿈"}, format="json").status_code == 403
    company = application.company
    assert client.get("/api/v1/companies/").json()["count"] == 2
    response = client.patch(f"/api/v1/companies/{company.pk}/", {"name": "바꿈"}, format="json")
    assert response.status_code == 403
    assert client.post("/api/v1/suppliers/", {}, format="json").status_code == 403
    application.refresh_from_db()
    assert application.status == S.EVALUATION and not application.evaluator_assignments.exists()


def test_companies_stay_a_shared_register(staff_b, application):
    """Another agency's staff still see the company (SPEC §14), though not its application."""
    client = api_client(staff_b)
    assert client.get(f"/api/v1/companies/{application.company_id}/").status_code == 200


def test_the_services_answer_404_before_anything_else(staff_b, ministry, application):
    evaluator = UserFactory(evaluator=True)
    with pytest.raises(Http404):
        application_transition(application=application, action="reject", actor=staff_b, note="x")
    with pytest.raises(Http404):
        evaluator_assign(application=application, evaluator_username=evaluator.username, actor=staff_b)
    with pytest.raises(NotAllowed):
        application_transition(application=application, action="reject", actor=ministry, note="x")
    with pytest.raises(NotAllowed):
        evaluator_assign(application=application, evaluator_username=evaluator.username, actor=ministry)


def test_the_agencys_staff_still_act(staff_a, application):
    evaluator = UserFactory(evaluator=True)
    evaluator_assign(application=application, evaluator_username=evaluator.username, actor=staff_a)
    application_transition(application=application, action="reject", actor=staff_a, note="x")
    application.refresh_from_db()
    assert application.status == S.REJECTED


def test_an_owners_action_reaches_only_its_agencys_staff(
    staff_a, staff_b, django_capture_on_commit_callbacks, eager_tasks
):
    application = ApplicationFactory(status=S.CHANGES_REQUESTED)
    AttachmentFactory(application=application)
    owner = UserFactory(applicant=True, company=application.company)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, action="withdraw", actor=owner)
    recipients = {address for message in mail.outbox for address in message.to}
    assert staff_a.email in recipients and staff_b.email not in recipients


def test_the_ministry_sees_the_queue_without_the_bulk_action(client):
    """The ministry reads the queue but changes nothing: no bulk action, no row checkboxes."""
    ApplicationFactory(status="submitted")
    staff, ministry = UserFactory(), UserFactory(ministry=True)

    client.force_login(staff)
    assert 'name="ids"' in client.get(reverse("applicants:staff-queue")).content.decode()
    client.force_login(ministry)
    page = client.get(reverse("applicants:staff-queue")).content.decode()

    assert 'name="ids"' not in page and 'id="bulk-action"' not in page
