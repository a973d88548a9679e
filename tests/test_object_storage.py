"""Every file on an S3-protocol object store (issue 16, item 1), against a real server the tests
start (tests/s3.py: moto_server): documents uploaded through the real view, reports made by the
(in-process) task, downloads streamed or handed out as signed URLs after the app's own check.

What moto_server does not do (seen on moto 5.2.5): it refuses an unsigned GET of a private object
(403), but it does not check a signed URL's signature nor its expiry — a tampered or expired URL is
served. The signature and expiry are therefore asserted on the URL the app hands out (its
parameters), not on moto's answer to a forged one; MinIO and S3 refuse both.
"""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from applicants.models import Application, Attachment
from reports.models import Report
from reports.tests.report_data import populated_program
from tests.factories import ApplicationFactory, UserFactory, api_client

pytestmark = [pytest.mark.django_db]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def draft(owner):
    return ApplicationFactory(company=owner.company, total_cost=150_000_000, plan="계획")


def _upload(client, application) -> Attachment:
    response = client.post(
        f"/apply/{application.pk}/documents/",
        {"kind": "business_plan", "file": SimpleUploadedFile("사업계획서.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302, response.content[:2000]
    return Attachment.objects.get(application=application)


def _url(attachment: Attachment) -> str:
    return f"/applications/{attachment.application_id}/attachments/{attachment.pk}/"


def _fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the test server)
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, b"", {}


def test_an_uploaded_document_lands_in_the_bucket_and_downloads_unchanged(
    client, owner, draft, s3_storage, s3_server, settings
):
    client.force_login(owner)
    attachment = _upload(client, draft)
    assert s3_server.keys(s3_storage) == [attachment.file.name]
    assert s3_server.read(s3_storage, attachment.file.name) == PDF
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))
    response = client.get(_url(attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")


def test_the_access_rules_are_unchanged_on_the_object_store(client, owner, draft, s3_storage):
    client.force_login(owner)
    attachment = _upload(client, draft)
    for outsider in (UserFactory(applicant=True), UserFactory(role=Role.EVALUATOR)):
        client.force_login(outsider)
        assert client.get(_url(attachment)).status_code == 404
    client.logout()
    assert client.get(_url(attachment))["Location"].startswith("/accounts/login/")


def test_a_deleted_document_leaves_the_bucket(
    client, owner, draft, s3_storage, s3_server, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    attachment = _upload(client, draft)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/apply/{draft.pk}/documents/{attachment.pk}/delete/")
    assert s3_server.keys(s3_storage) == []


def test_a_document_whose_object_is_gone_answers_404(client, owner, draft, s3_storage, s3_server):
    client.force_login(owner)
    attachment = _upload(client, draft)
    s3_server.client().delete_object(Bucket=s3_storage, Key=attachment.file.name)
    assert client.get(_url(attachment)).status_code == 404


def test_the_bucket_is_private(client, owner, draft, s3_storage, s3_server):
    client.force_login(owner)
    attachment = _upload(client, draft)
    status, body, _ = _fetch(f"{s3_server.url}/{s3_storage}/{attachment.file.name}")
    assert status == 403 and body == b""


def test_with_signed_urls_a_download_is_a_redirect_to_a_url_that_expires(
    client, owner, draft, s3_storage, settings
):
    settings.STORAGE_SIGNED_URLS = True
    client.force_login(owner)
    attachment = _upload(client, draft)
    response = client.get(_url(attachment))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = urllib.parse.urlsplit(response["Location"])
    query = urllib.parse.parse_qs(signed.query)
    assert signed.path == f"/{s3_storage}/{attachment.file.name}"
    assert {"Signature", "Expires", "AWSAccessKeyId"} <= set(query)
    assert "attachment;" in query["response-content-disposition"][0]
    status, body, headers = _fetch(response["Location"])
    assert (status, body) == (200, PDF)
    assert headers["Content-Disposition"].startswith("attachment;")

    client.force_login(UserFactory(applicant=True))  # no URL for anyone the app refuses
    refused = client.get(_url(attachment))
    assert refused.status_code == 404 and "Location" not in refused
    client.logout()
    assert client.get(_url(attachment))["Location"].startswith("/accounts/login/")


def _report(staff, program, capture) -> dict:
    with capture(execute=True):
        body = {"kind": "program_status", "format": "xlsx", "program": program.pk}
        response = api_client(staff).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 202, response.content
    return api_client(staff).get(f"/api/v1/reports/{response.json()['id']}/").json()


def test_a_report_is_an_object_in_the_bucket_and_downloads(
    s3_storage, s3_server, eager_tasks, django_capture_on_commit_callbacks, settings
):
    program = populated_program()
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    body = _report(staff, program, django_capture_on_commit_callbacks)
    assert body["status"] == "done", body
    report = Report.objects.get(pk=body["id"])
    assert s3_server.keys(s3_storage) == [report.file.name]
    download = api_client(staff).get(f"/api/v1/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == s3_server.read(s3_storage, report.file.name)
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))
    outsider = UserFactory(applicant=True)
    assert api_client(outsider).get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_a_failing_report_leaves_no_object(
    s3_storage, s3_server, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import generators

    def fail(report, path, progress):
        with open(path, "wb") as handle:
            handle.write(b"PK half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setitem(generators.GENERATORS, (Report.Kind.PROGRAM_STATUS, Report.Format.XLSX), fail)
    program = populated_program()
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    body = _report(staff, program, django_capture_on_commit_callbacks)
    assert body["status"] == "failed"
    assert s3_server.keys(s3_storage) == []


def test_two_files_never_share_an_object(s3_storage, s3_server):
    """file_overwrite is off: a name already taken gets a suffix, it never replaces another's file."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("private/reports/same.xlsx", ContentFile(b"one"))
    second = default_storage.save("private/reports/same.xlsx", ContentFile(b"two"))
    assert first != second
    assert [s3_server.read(s3_storage, name) for name in (first, second)] == [b"one", b"two"]


def test_without_a_bucket_files_stay_on_local_disk(client, owner, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(owner)
    attachment = _upload(client, draft)
    assert (tmp_path / "media" / attachment.file.name).read_bytes() == PDF
    assert Application.objects.get(pk=draft.pk).attachments.count() == 1


def test_production_settings_with_a_bucket_pass_the_deploy_check_and_use_the_object_store():
    import json
    import subprocess
    import sys

    from tests.test_settings import PRODUCTION_ENV, ROOT, _clean_env

    env = _clean_env(
        **PRODUCTION_ENV,
        STORAGE_BUCKET="smartfactory-files",
        STORAGE_ENDPOINT_URL="http://minio.internal:9000",
        STORAGE_ACCESS_KEY="access",
        STORAGE_SECRET_KEY="secret",
        STORAGE_URL_EXPIRY="30",
    )
    check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(check, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr
    probe = (
        "import django, json; django.setup(); from django.core.files.storage import storages;"
        ' s = storages["default"];'
        "print(json.dumps([type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl,"
        " s.querystring_auth, s.querystring_expire, s.file_overwrite, s.addressing_style]))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == [
        "S3Storage", "smartfactory-files", "http://minio.internal:9000", None, True, 30, False, "path"
    ]  # fmt: skip
