"""The import pages (SPEC §15.5; issue 21 part C): `/staff/imports/` and a run's page — what they show at
each status, the upload form's refusals, confirming, the templates, and their query counts
(tests/test_access_matrix.py holds every role's answer)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.errors import Conflict
from imports import services
from imports.models import ImportRun
from program.models import AuditEvent
from tests.factories import AgencyFactory, ImportRunFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ImportRun.Status
HEADER = "사업자등록번호,기업명,사업명,연도,지원수준,정부지원금,상태\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def other_staff():
    return UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


def signed_in(client, user):
    client.force_login(user)
    return client


def csv_upload(text: str = HEADER, name: str = "지원이력.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


ROW_ERRORS = [
    {"row": 2, "column": "사업자등록번호", "message": "사업자등록번호가 올바르지 않습니다."},
    {"row": 3, "column": "지원수준", "message": "지원수준은 기초, 고도화1, 고도화2 중 하나여야 합니다."},
]


# --- the list ------------------------------------------------------------------------------------------


def test_the_list_shows_the_agencys_runs_with_their_counts_and_the_form(client, staff, other_staff):
    mine = ImportRunFactory(created_by=staff, original_name="우리기관.csv", rows=12, valid=10, error_count=2)
    ImportRunFactory(
        created_by=staff, original_name="끝난.xlsx", status=S.DONE, rows=3, valid=3, created=2, updated=1
    )
    ImportRunFactory(created_by=other_staff, original_name="다른기관.csv")

    response = signed_in(client, staff).get(reverse("imports:list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "우리기관.csv" in body and "끝난.xlsx" in body
    assert "다른기관.csv" not in body
    assert reverse("imports:run", args=[mine.pk]) in body
    assert "12 · 10 · 2" in body and "2 · 1 · 0" in body
    assert 'name="file"' in body and 'accept=".xlsx,.csv"' in body
    for kind in ("support_records", "bans"):
        for fmt in ("xlsx", "csv"):
            assert reverse("imports:template", args=[kind, fmt]) in body


def test_the_ministry_reads_every_agencys_runs_without_the_form(client, staff, other_staff, ministry):
    ImportRunFactory(created_by=staff, original_name="우리기관.csv")
    ImportRunFactory(created_by=other_staff, original_name="다른기관.csv")

    body = signed_in(client, ministry).get(reverse("imports:list")).content.decode()

    assert "우리기관.csv" in body and "다른기관.csv" in body
    assert 'name="file"' not in body


@pytest.mark.parametrize("runs", [1, 5])
def test_the_list_takes_the_same_queries_for_one_run_or_five(client, staff, runs, django_assert_num_queries):
    for _ in range(runs):
        ImportRunFactory(created_by=staff)
    signed_in(client, staff)

    # session, user with agency, the runs' count, the page of runs with their uploaders, the inbox's count
    with django_assert_num_queries(5):
        response = client.get(reverse("imports:list"))

    assert response.status_code == 200


# --- the upload form's refusals -------------------------------------------------------------------------


def test_no_file_shows_the_form_again_with_the_error_at_the_field(client, staff):
    response = signed_in(client, staff).post(reverse("imports:list"), {"kind": "support_records"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "가져올 파일을 고르세요." in body
    assert 'id="id_file-error"' in body and 'aria-invalid="true"' in body
    assert not ImportRun.objects.exists()


def test_a_wrong_kind_is_refused_at_its_field(client, staff):
    response = signed_in(client, staff).post(
        reverse("imports:list"), {"kind": "payments", "file": csv_upload()}
    )

    assert response.status_code == 400
    assert "가져올 자료의 종류는 지원 이력 또는 참여제한 중에서 고르세요." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_the_service_refuses_at_once_shows_its_reason_at_the_field(client, staff, monkeypatch):
    def refuse(actor, *, upload, kind):
        raise ValidationError({"file": "XLSX 또는 CSV 파일만 올릴 수 있습니다."})

    monkeypatch.setattr(services, "import_start", refuse)

    response = signed_in(client, staff).post(
        reverse("imports:list"), {"kind": "bans", "file": csv_upload(name="참여제한.hwp")}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "XLSX 또는 CSV 파일만 올릴 수 있습니다." in body
    assert 'id="id_file-error"' in body
    assert not ImportRun.objects.exists()


def test_an_upload_goes_to_its_run(client, staff, monkeypatch):
    started = {}

    def start(actor, *, upload, kind):
        started.update(actor=actor, name=upload.name, kind=kind)
        return ImportRunFactory(created_by=actor, kind=kind, status=S.CHECKING)

    monkeypatch.setattr(services, "import_start", start)

    response = signed_in(client, staff).post(reverse("imports:list"), {"kind": "bans", "file": csv_upload()})

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert started == {"actor": staff, "name": "지원이력.csv", "kind": "bans"}


# --- a run's page ---------------------------------------------------------------------------------------


def test_a_run_being_checked_polls_its_status_and_has_a_refresh_link(client, staff):
    run = ImportRunFactory(created_by=staff, status=S.CHECKING, progress=40)

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    status_url = reverse("imports:run-status", args=[run.pk])
    assert f'hx-get="{status_url}"' in body and 'hx-trigger="every 2s"' in body
    assert '<progress id="import-progress-bar" max="100" value="40">' in body
    assert f'href="{reverse("imports:run", args=[run.pk])}">새로 고침</a>' in body
    assert "가져오기 확정" not in body


def test_the_status_part_stops_polling_once_the_run_is_checked(client, staff):
    run = ImportRunFactory(created_by=staff, status=S.CHECKED, rows=2, valid=2)

    response = signed_in(client, staff).get(reverse("imports:run-status", args=[run.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="import-run"')
    assert "hx-trigger" not in body and "<progress" not in body
    assert "<html" not in body


def test_a_checked_run_with_errors_lists_them_and_confirms_only_the_valid_rows(client, staff):
    run = ImportRunFactory(created_by=staff, rows=5, valid=3, error_count=2, errors=ROW_ERRORS)

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    assert "사업자등록번호가 올바르지 않습니다." in body and "지원수준" in body
    assert f'action="{reverse("imports:confirm", args=[run.pk])}"' in body
    assert "data-confirm=" in body
    assert "확정하면 유효한 3행만 기록하고, 오류가 있는 2행은 건너뜁니다." in body


def test_a_checked_run_without_valid_rows_cannot_be_confirmed(client, staff):
    run = ImportRunFactory(created_by=staff, rows=2, valid=0, error_count=2, errors=ROW_ERRORS)

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    assert reverse("imports:confirm", args=[run.pk]) not in body
    assert "유효한 행이 없어 확정할 수 없습니다." in body


def test_errors_past_those_shown_are_counted(client, staff):
    errors = [{"row": n, "column": "연도", "message": "연도가 올바르지 않습니다."} for n in range(2, 152)]
    run = ImportRunFactory(created_by=staff, rows=1500, valid=0, error_count=1500, errors=errors)

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    assert body.count("연도가 올바르지 않습니다.") == 100
    assert "외 1400건" in body


def test_a_failed_run_shows_why_and_that_nothing_was_written(client, staff):
    run = ImportRunFactory(created_by=staff, status=S.FAILED, failure="머리글이 양식과 다릅니다: 연도 없음")

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    assert "머리글이 양식과 다릅니다: 연도 없음" in body
    assert "아무것도 기록되지 않았습니다." in body
    assert "hx-trigger" not in body


def test_a_done_run_shows_what_it_wrote(client, staff):
    run = ImportRunFactory(
        created_by=staff,
        status=S.DONE,
        rows=6,
        valid=6,
        created=3,
        updated=2,
        unchanged=1,
        confirmed_by=staff,
    )

    body = signed_in(client, staff).get(reverse("imports:run", args=[run.pk])).content.decode()

    for label, count in (("새로 쓴 행", 3), ("바뀐 행", 2), ("그대로인 행", 1)):
        assert f'<dt>{label}</dt><dd class="num">{count}</dd>' in body
    assert "가져오기 확정" not in body


def test_the_ministry_reads_a_run_without_the_confirm_button(client, staff, ministry):
    run = ImportRunFactory(created_by=staff, rows=2, valid=2)

    response = signed_in(client, ministry).get(reverse("imports:run", args=[run.pk]))

    assert response.status_code == 200
    assert reverse("imports:confirm", args=[run.pk]) not in response.content.decode()


# session, user with agency, the run with both its people; the whole page adds the inbox's count
@pytest.mark.parametrize(("name", "queries"), [("imports:run", 4), ("imports:run-status", 3)])
def test_a_run_page_takes_a_fixed_number_of_queries(client, staff, name, queries, django_assert_num_queries):
    run = ImportRunFactory(created_by=staff, rows=5, valid=3, error_count=2, errors=ROW_ERRORS)
    signed_in(client, staff)

    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=[run.pk]))

    assert response.status_code == 200


# --- confirming -----------------------------------------------------------------------------------------


def test_confirming_goes_through_the_service_and_back_to_the_run(client, staff, monkeypatch):
    run = ImportRunFactory(created_by=staff, rows=2, valid=2)
    calls = []

    def confirm(actor, run):
        calls.append((actor, run.pk))
        run.status = S.IMPORTING
        run.save(update_fields=["status"])
        return run

    monkeypatch.setattr(services, "import_confirm", confirm)

    response = signed_in(client, staff).post(reverse("imports:confirm", args=[run.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert calls == [(staff, run.pk)]


def test_a_confirm_the_service_refuses_shows_the_run_with_the_reason(client, staff, monkeypatch):
    run = ImportRunFactory(created_by=staff, status=S.DONE, rows=2, valid=2)

    def refuse(actor, run):
        raise Conflict("검사가 끝난 가져오기만 확정할 수 있습니다.")

    monkeypatch.setattr(services, "import_confirm", refuse)

    response = signed_in(client, staff).post(reverse("imports:confirm", args=[run.pk]))

    assert response.status_code == 409
    assert "검사가 끝난 가져오기만 확정할 수 있습니다." in response.content.decode()


def test_another_agencys_staff_cannot_confirm(client, staff, other_staff, monkeypatch):
    run = ImportRunFactory(created_by=staff, rows=2, valid=2)
    monkeypatch.setattr(services, "import_confirm", pytest.fail)

    assert signed_in(client, other_staff).post(reverse("imports:confirm", args=[run.pk])).status_code == 404


def test_confirming_needs_the_csrf_token(staff):
    run = ImportRunFactory(created_by=staff, rows=2, valid=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    events = AuditEvent.objects.count()

    response = client.post(reverse("imports:confirm", args=[run.pk]))

    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == S.CHECKED and run.confirmed_by is None
    assert AuditEvent.objects.count() == events


def test_uploading_needs_the_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(reverse("imports:list"), {"kind": "support_records", "file": csv_upload()})

    assert response.status_code == 403
    assert not ImportRun.objects.exists()


# --- through part B's services (the task eager, as in tests) --------------------------------------------


def test_an_upload_with_errors_then_a_clean_one_then_confirmed(
    client, staff, django_capture_on_commit_callbacks, eager_tasks
):
    from applicants.models import SupportRecord
    from imports.tests.helpers import csv_bytes, support_row, upload

    signed_in(client, staff)
    bad = csv_bytes([support_row(사업자등록번호="123-45-67890"), support_row(지원수준="최고")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:list"), {"kind": "support_records", "file": upload(bad)})
    failed = ImportRun.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("imports:run", args=[failed.pk])).content.decode()
    assert failed.status == S.CHECKED and failed.valid == 0 and failed.error_count == 2
    assert "사업자등록번호" in page and "지원수준" in page
    assert reverse("imports:confirm", args=[failed.pk]) not in page

    clean = csv_bytes([support_row(), support_row()])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:list"), {"kind": "support_records", "file": upload(clean)})
    run = ImportRun.objects.latest("pk")
    assert (run.status, run.valid) == (S.CHECKED, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[run.pk]))

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.unchanged) == (S.DONE, 2, 0)
    assert SupportRecord.objects.count() == 2
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert '<dt>새로 쓴 행</dt><dd class="num">2</dd>' in page
    assert AuditEvent.objects.filter(action__startswith="import.").count() == 4  # start ×2, confirm, finish


def test_a_file_with_the_wrong_headers_is_refused_at_once(client, staff):
    from imports.tests.helpers import csv_bytes, support_row, upload

    content = csv_bytes([support_row()], headers=["번호", "이름"])

    response = signed_in(client, staff).post(
        reverse("imports:list"), {"kind": "support_records", "file": upload(content)}
    )

    assert response.status_code == 400
    assert 'id="id_file-error"' in response.content.decode()
    assert not ImportRun.objects.exists()


def test_confirming_a_run_without_valid_rows_is_refused(client, staff):
    run = ImportRunFactory(created_by=staff, rows=1, valid=0, error_count=1, errors=ROW_ERRORS[:1])

    response = signed_in(client, staff).post(reverse("imports:confirm", args=[run.pk]))

    assert response.status_code == 409
    assert "가져올 수 있는 행이 없습니다." in response.content.decode()
    run.refresh_from_db()
    assert run.status == S.CHECKED


@pytest.mark.parametrize(("kind", "fmt"), [("support_records", "csv"), ("bans", "xlsx")])
def test_the_templates_download_with_the_kinds_headers(client, staff, kind, fmt):
    from imports.reading import HEADERS

    response = signed_in(client, staff).get(reverse("imports:template", args=[kind, fmt]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS[kind])
    else:
        assert response.content[:2] == b"PK"
