"""A document's preview on the staff application page (config/files.py): `?inline=1` shows a PDF or an
image inside the app's own page, never any other type, and never to anyone the download refuses."""

import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from applicants.models import Application
from tests.factories import AgencyFactory, ApplicationFactory, AttachmentFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(status=Application.Status.SCREENING)
    client.force_login(UserFactory(role=Role.STAFF, agency=application.program.agency))
    client.application = application
    return client


def _attachment(application, name: str, content_type: str, data: bytes = PDF):
    attachment = AttachmentFactory(
        application=application, original_name=name, content_type=content_type, size=len(data), file=None
    )
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def _url(attachment, query: str = "") -> str:
    return f"/applications/{attachment.application_id}/attachments/{attachment.pk}/{query}"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("plan.pdf", "application/pdf"), ("site.png", "image/png"), ("a.jpg", "image/jpeg")],
)
def test_a_pdf_or_an_image_previews_inline_framed_by_the_app_only(staff_client, name, content_type):
    attachment = _attachment(staff_client.application, name, content_type)
    response = staff_client.get(_url(attachment, "?inline=1"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = _policy(response)
    assert policy["frame-ancestors"] == "'self'" and policy["script-src"] == "'self'"


def test_without_inline_it_stays_an_attachment_no_page_may_frame(staff_client):
    attachment = _attachment(staff_client.application, "plan.pdf", "application/pdf")
    for query in ("", "?inline=0", "?inline=yes"):
        response = staff_client.get(_url(attachment, query))
        assert response["Content-Disposition"].startswith("attachment;"), query
        assert response["X-Frame-Options"] == "DENY"
        assert _policy(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("quote.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("a.hwp", "application/x-hwp"),
    ],
)
def test_other_types_are_never_inline(staff_client, name, content_type):
    attachment = _attachment(staff_client.application, name, content_type, b"PK\x03\x04data")
    response = staff_client.get(_url(attachment, "?inline=1"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Frame-Options"] == "DENY" and _policy(response)["frame-ancestors"] == "'none'"


def test_the_preview_is_refused_to_whoever_the_download_refuses(staff_client):
    attachment = _attachment(staff_client.application, "plan.pdf", "application/pdf")
    other_staff = UserFactory(role=Role.STAFF, agency=AgencyFactory(name="다른 기관"))
    for user in (other_staff, UserFactory(applicant=True), UserFactory(role=Role.EVALUATOR)):
        staff_client.force_login(user)
        assert staff_client.get(_url(attachment, "?inline=1")).status_code == 404, user.role
    staff_client.logout()
    assert staff_client.get(_url(attachment, "?inline=1"))["Location"].startswith("/accounts/login/")


def test_with_signed_urls_a_preview_is_still_streamed_by_the_app(client, s3_storage, settings):
    """A signed URL is another origin, which the page may not frame: the preview comes through the app."""
    settings.STORAGE_SIGNED_URLS = True
    application = ApplicationFactory(status=Application.Status.SCREENING)
    client.force_login(UserFactory(role=Role.STAFF, agency=application.program.agency))
    attachment = _attachment(application, "plan.pdf", "application/pdf")
    assert client.get(_url(attachment)).status_code == 302
    response = client.get(_url(attachment, "?inline=1"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("inline;")
