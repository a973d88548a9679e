"""Starting, checking, confirming and writing imports (SPEC §15.5): the task path in-process (eager),
idempotence on the natural key, the confirm rules, one audit event per step with the counts."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from applicants.models import ParticipationBan, SupportRecord
from config.errors import Conflict, NotAllowed
from imports import services
from imports.models import ImportRun
from imports.reading import check
from imports.tests.helpers import ban_row, csv_bytes, support_row, upload, xlsx_bytes
from program.models import AuditEvent
from tests.factories import AgencyFactory, ImportRunFactory, UserFactory, valid_business_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    def run_import(actor, content: bytes, kind: str = "support_records", name: str = "a.csv") -> ImportRun:
        """Upload, check (eager), confirm and write (eager), as the API does with a worker."""
        with django_capture_on_commit_callbacks(execute=True):
            run = services.import_start(actor, upload=upload(content, name), kind=kind)
        run.refresh_from_db()
        assert run.status == ImportRun.Status.CHECKED, run.failure
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(actor, run)
        run.refresh_from_db()
        return run

    return run_import


def test_it_checks_then_writes_and_counts(staff, django_capture_on_commit_callbacks):
    rows = [support_row(), support_row(), support_row(연도="x")]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(staff, upload=upload(csv_bytes(rows)), kind="support_records")
    run.refresh_from_db()
    assert (run.status, run.rows, run.valid, run.error_count, run.progress) == ("checked", 3, 2, 1, 100)
    assert run.errors == [
        {"row": 4, "column": "연도", "message": "연도는 2000부터 2100 사이의 정수로 입력해 주세요."}
    ]
    assert run.agency_id == staff.agency_id and run.file.name.startswith("private/imports/support_records/")
    assert SupportRecord.objects.count() == 0  # the dry run writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(staff, run)
    run.refresh_from_db()
    assert (run.status, run.created, run.updated, run.unchanged, run.progress) == ("done", 2, 0, 0, 100)
    record = SupportRecord.objects.get(business_number=rows[0]["사업자등록번호"])
    assert (record.level, record.government, record.status, record.year) == (
        "advanced1",
        50_000_000,
        "completed",
        2023,
    )


def test_the_same_file_twice_changes_nothing_and_a_changed_amount_updates(staff, run_import):
    rows = [support_row() for _ in range(5)]
    first = run_import(staff, csv_bytes(rows))
    before = list(SupportRecord.objects.order_by("pk").values())
    again = run_import(staff, csv_bytes(rows))
    assert (first.created, again.created, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert list(SupportRecord.objects.order_by("pk").values()) == before
    rows[0]["정부지원금"] = "60,000,000"
    changed = run_import(staff, xlsx_bytes([list(row.values()) for row in rows]), name="a.xlsx")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 4)
    assert SupportRecord.objects.get(business_number=rows[0]["사업자등록번호"]).government == 60_000_000


def test_bans_are_written_idempotently(staff, run_import):
    rows = [ban_row(), ban_row(대상="공급기업", 종료일="영구")]
    first = run_import(staff, csv_bytes(rows, "bans"), kind="bans")
    again = run_import(staff, csv_bytes(rows, "bans"), kind="bans")
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    ban = ParticipationBan.objects.get(business_number=rows[0]["사업자등록번호"])
    assert (ban.subject_type, ban.starts_on, ban.ends_on) == (
        "company",
        datetime.date(2024, 3, 2),
        datetime.date(2027, 3, 1),
    )
    assert ban.created_by == staff
    assert ParticipationBan.objects.get(business_number=rows[1]["사업자등록번호"]).ends_on is None


def test_one_audit_event_per_step_with_the_counts(staff, run_import):
    run = run_import(staff, csv_bytes([support_row() for _ in range(7)]))
    events = AuditEvent.objects.filter(object_id=run.pk, action__startswith="import.").order_by("pk")
    assert [event.action for event in events] == ["import.start", "import.confirm", "import.finish"]
    assert events[2].after | {} == events[2].after and events[2].after["created"] == 7
    assert (events[2].after["rows"], events[2].after["unchanged"], events[2].actor) == (7, 0, staff)
    assert AuditEvent.objects.count() == 3  # not one per row


@pytest.mark.parametrize(
    ("content", "name", "field"),
    [
        (b"", "a.csv", "file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "a.xlsx", "file"),
        ("사업자등록번호,기업명\n1,2\n".encode(), "a.csv", "file"),
    ],
)
def test_a_bad_file_is_refused_at_once_and_nothing_kept(staff, content, name, field):
    with pytest.raises(ValidationError) as raised:
        services.import_start(staff, upload=upload(content, name), kind="support_records")
    assert field in raised.value.message_dict
    assert ImportRun.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_bad_kind_is_refused(staff):
    with pytest.raises(ValidationError) as raised:
        services.import_start(staff, upload=upload(csv_bytes([support_row()])), kind="companies")
    assert "kind" in raised.value.message_dict


def test_the_ministry_writes_nothing():
    ministry = UserFactory(ministry=True)
    with pytest.raises(NotAllowed):
        services.import_start(ministry, upload=upload(csv_bytes([support_row()])), kind="support_records")
    run = ImportRunFactory(valid=1)
    with pytest.raises(NotAllowed):
        services.import_confirm(ministry, run)


def test_another_agencys_staff_may_not_confirm():
    run = ImportRunFactory(valid=1)
    with pytest.raises(NotAllowed):
        services.import_confirm(UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회")), run)


@pytest.mark.parametrize("status", ["checking", "importing", "done", "failed"])
def test_only_a_checked_run_is_confirmed(status):
    run = ImportRunFactory(status=status, valid=3)
    with pytest.raises(Conflict) as raised:
        services.import_confirm(run.created_by, run)
    assert raised.value.code == "import_not_checked"
    run.refresh_from_db()
    assert run.status == status


def test_a_run_without_valid_rows_is_not_confirmed():
    run = ImportRunFactory(valid=0, rows=3, error_count=3)
    with pytest.raises(Conflict) as raised:
        services.import_confirm(run.created_by, run)
    assert raised.value.code == "import_nothing_valid"


def test_a_whole_file_problem_found_by_the_worker_fails_the_run(staff):
    run = ImportRunFactory(status="checking")  # the factory's file has the headers and no row
    services.import_check(run)
    run.refresh_from_db()
    assert (run.status, run.failure) == (
        "failed",
        "데이터 행이 없습니다. 제목 행 아래에 가져올 행을 넣어 주세요.",
    )


def test_a_redelivered_task_does_not_check_or_write_twice(staff, run_import):
    run = run_import(staff, csv_bytes([support_row()]))
    services.import_check(run)
    services.import_write(run)
    run.refresh_from_db()
    assert (run.status, run.created, run.unchanged) == ("done", 1, 0)
    assert AuditEvent.objects.filter(action="import.finish").count() == 1


def test_a_failure_mid_write_keeps_earlier_batches_and_a_rerun_finishes(staff, monkeypatch, run_import):
    monkeypatch.setattr(services, "BATCH", 2)
    rows = [support_row() for _ in range(5)]
    calls = []
    real = services._write_support_records

    def failing(batch, *, actor):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(batch, actor=actor)

    monkeypatch.setattr(services, "_write_support_records", failing)
    run = run_import(staff, csv_bytes(rows))
    assert run.status == "failed"
    assert (
        run.failure
        == "쓰는 중에 멈췄습니다. 앞의 2행만 쓰였습니다. 같은 파일을 다시 가져오면 나머지를 씁니다."
    )
    assert SupportRecord.objects.count() == 2  # the failed batch wrote nothing
    monkeypatch.setattr(services, "_write_support_records", real)
    again = run_import(staff, csv_bytes(rows))
    assert (again.status, again.created, again.unchanged) == ("done", 3, 2)


@pytest.mark.parametrize("kind", ["support_records", "bans"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_have_the_headers_and_a_valid_example(kind, fmt):
    content, filename, content_type = services.template_file(kind, fmt)
    assert content_type.startswith("text/csv" if fmt == "csv" else "application/vnd.openxml")
    assert filename.endswith(f".{fmt}")
    if fmt == "csv":
        assert content.startswith("\ufeff사업자등록번호".encode())
    else:
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        assert next(sheet.iter_rows(values_only=True))[0] == "사업자등록번호"
    result = check(io.BytesIO(content), filename, kind)
    assert (result.rows, result.valid) == (1, 1)


def test_a_superuser_without_an_agency_may_import(run_import):
    admin = UserFactory(role="staff", agency=None, is_superuser=True)
    run = run_import(admin, csv_bytes([support_row(사업자등록번호=valid_business_number())]))
    assert (run.status, run.agency_id) == ("done", None)


def test_the_write_reads_the_rows_the_check_kept(staff, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    rows = [ban_row(종료일="2025. 3. 1."), ban_row(종료일="영구")]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(staff, upload=upload(csv_bytes(rows, "bans")), kind="bans")
    run.refresh_from_db()
    kept = f"{run.file.name}.valid.jsonl"
    assert default_storage.exists(kept)
    default_storage.delete(run.file.name)  # the spreadsheet itself is not read again
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(staff, run)
    run.refresh_from_db()
    assert (run.status, run.created) == ("done", 2)
    ends = set(ParticipationBan.objects.values_list("starts_on", "ends_on"))
    assert ends == {(datetime.date(2024, 3, 2), datetime.date(2025, 3, 1)), (datetime.date(2024, 3, 2), None)}
    assert not default_storage.exists(kept)
