"""`/api/v1/reports/` (docs/domain.md §10) for each role: POST → 202, list and detail in scope, download only
when done and visible; anything outside a user's scope answers 404."""

import pytest
from rest_framework.test import APIClient

from program.models import Program
from reports.models import Report
from reports.services import report_request
from tests.factories import ProgramFactory, UserFactory, api_client, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_media")]
K, F, R = Report.Kind, Report.Format, Report.Status
FIELDS = {
    "id", "kind", "kind_display", "format", "format_display", "status", "status_display", "progress",
    "program", "program_title", "sponsor", "sponsor_name", "period_start", "period_end", "filters",
    "scheduled", "requested_by", "created_at", "started_at", "finished_at", "error", "file_name",
    "download_url",
}  # fmt: skip


def post(user, body, capture):
    """POST, then let the (in-process) worker make the report as the request's transaction commits."""
    with capture(execute=True):
        response = api_client(user).post("/api/v1/reports/", body, format="json")
    return response


def fetched(user, response) -> dict:
    return api_client(user).get(f"/api/v1/reports/{response.json()['id']}/").json()


def test_staff_request_a_report_and_get_202_then_download_it(
    staff, program, django_capture_on_commit_callbacks
):
    response = post(
        staff,
        {"kind": "program_status", "format": "pdf", "program": program.pk},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert set(accepted) == FIELDS
    assert (accepted["status"], accepted["progress"], accepted["download_url"]) == ("pending", 0, None)
    body = fetched(staff, response)
    assert (body["status"], body["progress"], body["program_title"]) == ("done", 100, program.title)
    assert body["download_url"].endswith(f"/api/v1/reports/{body['id']}/download/")
    assert body["file_name"].endswith(".pdf")
    download = api_client(staff).get(f"/api/v1/reports/{body['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "fmt", "content_type", "magic"),
    [
        ("applications_export", "csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        (
            "fund_status",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04",
        ),
    ],
)
def test_downloads_carry_their_content_type(
    staff, program, django_capture_on_commit_callbacks, kind, fmt, content_type, magic
):
    body = fetched(
        staff,
        post(staff, {"kind": kind, "format": fmt, "program": program.pk}, django_capture_on_commit_callbacks),
    )
    download = api_client(staff).get(body["download_url"])
    assert download["Content-Type"] == content_type
    assert b"".join(download.streaming_content).startswith(magic)


def test_the_export_takes_the_list_filters(staff, django_capture_on_commit_callbacks):
    body = {"kind": "applications_export", "format": "csv", "filters": {"status": ["selected"], "q": "정밀"}}
    response = post(staff, body, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert response.json()["filters"] == {"status": ["selected"], "q": "정밀"}


def test_field_errors_are_400_in_korean(staff, program):
    client = api_client(staff)
    response = client.post("/api/v1/reports/", {"kind": "fund_status", "format": "pdf"}, format="json")
    assert response.status_code == 400
    assert response.json()["format"] == ["기금 현황 보고서는 XLSX 형식으로만 만들 수 있습니다."]
    response = client.post(
        "/api/v1/reports/", {"kind": "fund_status", "format": "xlsx", "program": 999999}, format="json"
    )
    assert response.status_code == 400 and "program" in response.json()
    response = client.post("/api/v1/reports/", {"kind": "weekly", "format": "xlsx"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    assert not Report.objects.exists()


def test_a_sponsor_user_requests_its_own_and_gets_404_for_another_sponsors(
    sponsor_user, program, django_capture_on_commit_callbacks
):
    response = post(
        sponsor_user,
        {"kind": "outcomes", "format": "pdf", "program": program.pk},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 202
    other = ProgramFactory()
    client = api_client(sponsor_user)
    for body in (
        {"kind": "outcomes", "format": "pdf", "program": other.pk},
        {"kind": "fund_status", "format": "xlsx", "sponsor": other.sponsor.pk},
        {"kind": "fund_status", "format": "xlsx", "program": 999999},
    ):
        assert client.post("/api/v1/reports/", body, format="json").status_code == 404
    assert Report.objects.count() == 1


@pytest.mark.parametrize("role", ["applicant", "evaluator", "mentor"])
def test_other_roles_may_not_request_and_see_no_report(role, staff, program):
    report = report_request(actor=staff, kind=K.FUND_STATUS, format=F.XLSX, program=program)
    user = user_with_role(role)
    client = api_client(user)
    response = client.post("/api/v1/reports/", {"kind": "fund_status", "format": "xlsx"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client.get("/api/v1/reports/").json()["count"] == 0
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_anonymous_users_get_nothing(staff, program):
    report = report_request(actor=staff, kind=K.FUND_STATUS, format=F.XLSX, program=program)
    client = APIClient()
    assert client.get("/api/v1/reports/").status_code == 403
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 403


def test_a_sponsor_sees_and_downloads_its_own_reports_only(
    sponsor_user, staff, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        own = report_request(actor=sponsor_user, kind=K.FUND_STATUS, format=F.XLSX, program=program)
        scheduled = report_request(
            actor=None, kind=K.PROGRAM_STATUS, format=F.XLSX, program=program, scheduled=True
        )
        staff_report = report_request(actor=staff, kind=K.APPLICATIONS_EXPORT, format=F.CSV, program=program)
        other_program = ProgramFactory()
        foreign = report_request(
            actor=UserFactory(role="sponsor", sponsor=other_program.sponsor),
            kind=K.FUND_STATUS,
            format=F.XLSX,
            program=other_program,
        )
    client = api_client(sponsor_user)
    listed = client.get("/api/v1/reports/").json()
    assert {row["id"] for row in listed["results"]} == {own.pk, scheduled.pk}
    for report in (own, scheduled):
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 200
    for report in (foreign, staff_report):
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
    assert api_client(staff).get(f"/api/v1/reports/{foreign.pk}/download/").status_code == 200


@pytest.mark.parametrize("state", [R.PENDING, R.RUNNING, R.FAILED])
def test_no_download_until_done(staff, program, state):
    report = Report.objects.create(
        kind=K.FUND_STATUS, format=F.XLSX, program=program, requested_by=staff, status=state
    )
    client = api_client(staff)
    body = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert body["download_url"] is None and body["status"] == state
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_progress_and_error_are_shown_while_it_runs_and_when_it_fails(staff, program):
    running = Report.objects.create(
        kind=K.FUND_STATUS, format=F.XLSX, program=program, requested_by=staff, status=R.RUNNING, progress=40
    )
    failed = Report.objects.create(
        kind=K.FUND_STATUS,
        format=F.XLSX,
        requested_by=staff,
        agency=staff.agency,  # as report_request gives it
        status=R.FAILED,
        error="보고서를 만들지 못했습니다: x",
    )
    client = api_client(staff)
    assert client.get(f"/api/v1/reports/{running.pk}/").json()["progress"] == 40
    body = client.get(f"/api/v1/reports/{failed.pk}/").json()
    assert (body["status_display"], body["error"]) == ("실패", "보고서를 만들지 못했습니다: x")


def test_the_list_filters_and_is_paginated(staff, program):
    for status in (R.DONE, R.PENDING, R.PENDING):
        Report.objects.create(
            kind=K.FUND_STATUS,
            format=F.XLSX,
            program=program,
            requested_by=staff,
            status=status,
            file="x.xlsx",
        )
    body = api_client(staff).get("/api/v1/reports/", {"status": "pending", "page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]


def test_the_list_runs_a_fixed_number_of_queries(staff, sponsor_user, program, django_assert_num_queries):
    for _ in range(5):
        other = ProgramFactory(status=Program.Status.OPEN)
        Report.objects.create(
            kind=K.FUND_STATUS, format=F.XLSX, program=other, sponsor=other.sponsor, requested_by=staff
        )
        Report.objects.create(kind=K.FUND_STATUS, format=F.XLSX, program=program, requested_by=sponsor_user)
    for user in (staff, sponsor_user):
        client = api_client(user)
        with django_assert_num_queries(2):  # count, page (program, sponsor and requester joined in)
            assert client.get("/api/v1/reports/").status_code == 200
