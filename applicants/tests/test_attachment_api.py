"""The documents API of SPEC §10: `applications/{id}/attachments/` lists and takes documents,
`…/attachments/{id}/` downloads and removes one — the same rules as the pages (the owner adds the
first four kinds while the application is editable, the completion report while building)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from applicants.models import Application, Attachment
from program.models import AuditEvent
from tests.factories import ApplicationFactory, AttachmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _owner(application):
    return UserFactory(role=Role.APPLICANT, company=application.company)


def _upload(client, application, kind="quote", name="견적서.pdf", data=PDF):
    return client.post(
        f"/api/v1/applications/{application.pk}/attachments/",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        format="multipart",
    )


def test_the_owner_adds_lists_downloads_and_removes_a_document_of_a_draft():
    application = ApplicationFactory()
    client = _client(_owner(application))
    answer = _upload(client, application)
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert (created["kind"], created["name"], created["size"]) == ("quote", "견적서.pdf", len(PDF))
    listed = client.get(f"/api/v1/applications/{application.pk}/attachments/")
    assert [row["id"] for row in listed.json()] == [created["id"]]
    download = client.get(f"/api/v1/applications/{application.pk}/attachments/{created['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    gone = client.delete(f"/api/v1/applications/{application.pk}/attachments/{created['id']}/")
    assert gone.status_code == 204 and not Attachment.objects.filter(pk=created["id"]).exists()
    actions = list(AuditEvent.objects.filter(object_id=application.pk).values_list("action", flat=True))
    assert actions.count("application.attachment_add") == 1 and "application.attachment_delete" in actions


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored():
    application = ApplicationFactory()
    answer = _upload(_client(_owner(application)), application, data=b"MZ\x90\x00 not a pdf")
    assert answer.status_code == 400 and "file" in str(answer.json())
    assert not Attachment.objects.filter(application=application).exists()


def test_the_completion_report_only_while_building_and_the_others_only_while_editable():
    building = ApplicationFactory(status=Application.Status.BUILDING)
    client = _client(_owner(building))
    assert _upload(client, building, kind="completion_report", name="완료보고서.pdf").status_code == 201
    refused = _upload(client, building, kind="quote")
    assert refused.status_code == 409
    draft = ApplicationFactory(company=building.company)
    assert _upload(client, draft, kind="completion_report").status_code == 409
    assert _upload(client, draft, kind="no_such_kind").status_code == 400


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.MINISTRY, Role.SPONSOR, Role.EVALUATOR, Role.MENTOR, "outsider"]
)
def test_who_may_not_add_or_remove(role):
    application = ApplicationFactory(submitted=True)
    document = AttachmentFactory(application=application, kind="quote")
    if role == "outsider":
        user = UserFactory(applicant=True)
    elif role == Role.STAFF:
        user = UserFactory(role=Role.STAFF, agency=application.program.agency)
    elif role == Role.SPONSOR:
        user = UserFactory(role=Role.SPONSOR, sponsor=application.program.sponsor)
    else:
        user = UserFactory(role=role)
    client = _client(user)
    add = _upload(client, application).status_code
    remove = client.delete(f"/api/v1/applications/{application.pk}/attachments/{document.pk}/").status_code
    assert add in (403, 404) and remove in (403, 404)
    assert Attachment.objects.filter(application=application).count() == 1


def test_an_attachment_of_another_application_is_404_through_this_one():
    mine = ApplicationFactory()
    theirs = AttachmentFactory(application=ApplicationFactory(company=mine.company))
    client = _client(_owner(mine))
    assert client.get(f"/api/v1/applications/{mine.pk}/attachments/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/{mine.pk}/attachments/x/").status_code == 404


def test_the_list_takes_the_same_queries_however_many_documents(django_assert_max_num_queries):
    application = ApplicationFactory(submitted=True)
    staff = UserFactory(role=Role.STAFF, agency=application.program.agency)
    client = _client(staff)
    AttachmentFactory(application=application, kind="quote")
    with django_assert_max_num_queries(6) as one:
        client.get(f"/api/v1/applications/{application.pk}/attachments/")
    for kind in ("business_plan", "financial_statements", "business_registration", "quote"):
        AttachmentFactory(application=application, kind=kind)
    with django_assert_max_num_queries(len(one.captured_queries)):
        answer = client.get(f"/api/v1/applications/{application.pk}/attachments/")
    assert len(answer.json()) == 5
