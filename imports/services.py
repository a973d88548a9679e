"""Starting, checking, confirming and writing an import (SPEC §15.5). The API, the page and
`manage.py import_records` all go through here; the audit has one event per import with its counts
(`import.start`, `import.confirm`, `import.finish` or `import.fail`), never one per row.

Writing is idempotent on the natural key (support records: business number, program name, year; bans:
subject, business number, start day): each batch of BATCH rows is read against what is stored and
written in its own transaction, counted as created, updated or unchanged. A failure mid-write leaves the
batches before it written and nothing of its own; importing the same file again writes the rest and
finds the rest unchanged.

Owner: part B (issue 21). The signatures are the contract the API and page rely on."""

import datetime
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_staff
from applicants.models import ParticipationBan, SupportRecord
from config.broker import BROKER_ERRORS
from config.errors import Conflict, NotAllowed
from config.uploads import CONTENT_TYPES
from imports import reading, writing
from imports.models import ImportRun
from imports.reading import ImportFileError
from program.business_number import check_digit
from program.permissions import can_act_in_agency
from program.services import audit_event_record

logger = logging.getLogger(__name__)
Status = ImportRun.Status
BATCH = 2000
SUPPORT_FIELDS = ("company_name", "level", "government", "status")
BAN_FIELDS = ("reason", "basis", "ends_on")


def _require_staff(actor, run: ImportRun | None = None) -> None:
    # The ministry reads imports and writes none (403); the API and page send everyone else away first.
    if not is_staff(actor) or (run is not None and not can_act_in_agency(actor, run.agency_id)):
        raise NotAllowed()


def _counts(run: ImportRun) -> dict:
    return {
        "kind": run.kind,
        "file": run.original_name,
        "rows": run.rows,
        "valid": run.valid,
        "error_count": run.error_count,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
    }


def _stored_name(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f"{uuid.uuid4().hex}.{extension if extension in ('xlsx', 'csv') else 'dat'}"


def _preflight(upload, kind: str) -> None:
    """The whole-file problems that show at once (too large, empty, not a spreadsheet, the headers) →
    ValidationError on `file`; the rows are the dry run's."""
    if kind not in reading.KINDS:
        raise ValidationError(
            {"kind": [_("가져오기 종류는 지원 이력(support_records) 또는 참여제한(bans)입니다.")]}
        )
    try:
        reading.check_size(upload.size)
        upload.seek(0)
        reading.check_header(upload, upload.name or "", kind)
    except ImportFileError as error:
        raise ValidationError({"file": [ValidationError(error.message, code=error.code)]}) from None
    finally:
        upload.seek(0)


def import_start(actor, *, upload, kind: str, queue: bool = True) -> ImportRun:
    """Store the file privately, create the run (status checking) and queue the dry run (tasks.check_import).
    A bad kind or a whole-file problem that shows at once (empty, too large, not a spreadsheet, wrong
    headers) → ValidationError, nothing kept."""
    _require_staff(actor)
    if upload is None:
        raise ValidationError({"file": [_("가져올 파일을 골라 주세요.")]})
    _preflight(upload, kind)
    name = os.path.basename(upload.name or "")[:255] or "import"
    with transaction.atomic():
        run = ImportRun(
            kind=kind, original_name=name, size=upload.size, agency_id=actor.agency_id, created_by=actor
        )
        run.file.save(_stored_name(name), upload, save=False)
        run.save()
        audit_event_record(actor=actor, action="import.start", target=run, after=_counts(run), note=name)
        if queue:
            transaction.on_commit(lambda: _enqueue("check_import", run.pk))
    return run


def _enqueue(task_name: str, run_id: int) -> None:
    from imports import tasks

    try:
        getattr(tasks, task_name).apply_async(args=[run_id], retry=True, retry_policy={"max_retries": 2})
    except BROKER_ERRORS:
        logger.warning("import %s waits: the task broker is unreachable", run_id, exc_info=True)


def _progress_saver(run_id: int, status: str):
    def save(percent: int) -> None:
        # A cheap UPDATE, outside any transaction of the run's rows, so the page sees it at once.
        ImportRun.objects.filter(pk=run_id, status=status).update(progress=percent)

    return save


def _open(run: ImportRun):
    return run.file.open("rb")


def import_check(run: ImportRun) -> ImportRun:
    """The dry run, in the worker: rows, valid, errors, progress; status checked, or failed with `failure`.
    Only a run still checking is checked: a redelivered task (a worker died) checks it again from the
    start; one already checked is left as it is."""
    run.refresh_from_db()
    if run.status != Status.CHECKING:
        return run
    try:
        with _open(run) as handle, tempfile.TemporaryFile("w+b") as kept:

            def keep(values: dict) -> None:
                kept.write(json.dumps(values, default=str, ensure_ascii=False).encode() + b"\n")

            result = reading.check(
                handle,
                run.original_name,
                run.kind,
                progress=_progress_saver(run.pk, Status.CHECKING),
                errors_kept=ImportRun.ERRORS_KEPT,
                on_valid=keep,
            )
            _keep_valid_rows(run, kept)
    except ImportFileError as error:
        return _checked(run, status=Status.FAILED, failure=error.message)
    except Exception:
        logger.exception("import %s: the check stopped", run.pk)
        return _checked(run, status=Status.FAILED, failure=_("파일을 검사하지 못했습니다. 다시 올려 주세요."))
    return _checked(
        run,
        status=Status.CHECKED,
        rows=result.rows,
        valid=result.valid,
        error_count=result.error_count,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
    )


def _valid_rows_name(run: ImportRun) -> str:
    return f"{run.file.name}.valid.jsonl"


def _keep_valid_rows(run: ImportRun, kept) -> None:
    """The valid rows' values, one JSON line each, stored beside the file: the write reads them instead
    of parsing the spreadsheet again (an XLSX is read at a fraction of a CSV's speed)."""
    name = _valid_rows_name(run)
    if default_storage.exists(name):  # a check run again after its worker died
        default_storage.delete(name)
    kept.seek(0)
    default_storage.save(name, File(kept))


def _kept_batches(name: str, kind: str) -> Iterator[list[dict]]:
    days = ("starts_on", "ends_on") if kind == ImportRun.Kind.BANS else ()
    batch: list[dict] = []
    with default_storage.open(name, "rb") as handle:
        for line in handle:
            values = json.loads(line)
            for day in days:
                if values[day] is not None:
                    values[day] = datetime.date.fromisoformat(values[day])
            batch.append(values)
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _checked(run: ImportRun, **fields) -> ImportRun:
    fields |= {"checked_at": timezone.now(), "progress": 100}
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))
    return run


def import_confirm(actor, run: ImportRun, *, queue: bool = True) -> ImportRun:
    """Staff confirm a checked run: status importing, and the write is queued (tasks.write_import).
    Anything but checked → Conflict; a run with no valid row → Conflict."""
    _require_staff(actor, run)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.CHECKED:
            raise Conflict(_("검사를 마친 가져오기만 확정할 수 있습니다."), code="import_not_checked")
        if run.valid == 0:
            raise Conflict(
                _("가져올 수 있는 행이 없습니다. 오류를 고친 파일을 다시 올려 주세요."),
                code="import_nothing_valid",
            )
        run.status, run.progress = Status.IMPORTING, 0
        run.confirmed_by, run.confirmed_at = actor, timezone.now()
        run.save(update_fields=["status", "progress", "confirmed_by", "confirmed_at"])
        audit_event_record(actor=actor, action="import.confirm", target=run, after=_counts(run))
        if queue:
            transaction.on_commit(lambda: _enqueue("write_import", run.pk))
    return run


def _batches(run: ImportRun, handle) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for parsed in reading.parsed_rows(handle, run.original_name, run.kind):
        if parsed.values is not None:
            batch.append(parsed.values)
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _valid_batches(run: ImportRun) -> Iterator[list[dict]]:
    """The valid rows in batches: as the check kept them, or (a run checked before they were kept) from
    the file read again."""
    name = _valid_rows_name(run)
    if default_storage.exists(name):
        yield from _kept_batches(name, run.kind)
        return
    with _open(run) as handle:
        yield from _batches(run, handle)


def import_write(run: ImportRun) -> ImportRun:
    """Write the valid rows, idempotent on the natural key; created/updated/unchanged; status done.
    Only a run importing is written: a redelivered task writes it again from the start (the batches
    already written are found unchanged)."""
    run.refresh_from_db()
    if run.status != Status.IMPORTING:
        return run
    run.created = run.updated = run.unchanged = 0
    write_batch = _write_support_records if run.kind == ImportRun.Kind.SUPPORT_RECORDS else _write_bans
    written = 0
    try:
        for batch in _valid_batches(run):
            with transaction.atomic():
                created, updated = write_batch(batch, actor=run.confirmed_by)
                run.created += created
                run.updated += updated
                run.unchanged += len(batch) - created - updated
                written += len(batch)
                run.progress = min(99, written * 100 // max(run.valid, 1))
                run.save(update_fields=["created", "updated", "unchanged", "progress"])
    except Exception as error:
        logger.exception("import %s: the write stopped", run.pk)
        failure = error.message if isinstance(error, ImportFileError) else _("쓰는 중에 멈췄습니다.")
        return _write_failed(run, written, failure)
    with transaction.atomic():
        run.status, run.progress, run.finished_at = Status.DONE, 100, timezone.now()
        run.save(update_fields=["status", "progress", "finished_at"])
        audit_event_record(actor=run.confirmed_by, action="import.finish", target=run, after=_counts(run))
    default_storage.delete(_valid_rows_name(run))
    return run


def _write_failed(run: ImportRun, written: int, failure: str) -> ImportRun:
    run.status, run.finished_at = Status.FAILED, timezone.now()
    run.failure = (
        _("%(failure)s 앞의 %(written)s행만 쓰였습니다. 같은 파일을 다시 가져오면 나머지를 씁니다.")
        % {"failure": failure, "written": written}
    )[:500]
    default_storage.delete(_valid_rows_name(run))
    with transaction.atomic():
        run.save(update_fields=["status", "failure", "finished_at"])
        audit_event_record(
            actor=run.confirmed_by, action="import.fail", target=run, after=_counts(run), note=run.failure
        )
    return run


def _write_support_records(batch: list[dict], *, actor) -> tuple[int, int]:
    stored = {
        (record.business_number, record.program_name, record.year): record
        for record in SupportRecord.objects.filter(
            business_number__in={row["business_number"] for row in batch},
            year__in={row["year"] for row in batch},
        )
    }
    new: list[SupportRecord] = []
    changed: list[SupportRecord] = []
    for row in batch:
        record = stored.get((row["business_number"], row["program_name"], row["year"]))
        if record is None:
            new.append(SupportRecord(**row))
        elif any(getattr(record, name) != row[name] for name in SUPPORT_FIELDS):
            for name in SUPPORT_FIELDS:
                setattr(record, name, row[name])
            changed.append(record)
    # A record another import wrote since the read above is overwritten, not a failure.
    SupportRecord.objects.bulk_create(
        new,
        update_conflicts=True,
        unique_fields=["business_number", "program_name", "year"],
        update_fields=list(SUPPORT_FIELDS),
    )
    SupportRecord.objects.bulk_update(changed, list(SUPPORT_FIELDS))
    return len(new), len(changed)


def _write_bans(batch: list[dict], *, actor) -> tuple[int, int]:
    stored: dict[tuple, ParticipationBan] = {}
    for ban in ParticipationBan.objects.filter(
        business_number__in={row["business_number"] for row in batch}
    ).order_by("-id"):
        stored[(ban.subject_type, ban.business_number, ban.starts_on)] = ban  # the oldest wins
    new: list[ParticipationBan] = []
    changed: list[ParticipationBan] = []
    for row in batch:
        found = stored.get((row["subject_type"], row["business_number"], row["starts_on"]))
        if found is None:
            new.append(ParticipationBan(**row, created_by=actor))
        elif any(getattr(found, name) != row[name] for name in BAN_FIELDS):
            for name in BAN_FIELDS:
                setattr(found, name, row[name])
            changed.append(found)
    ParticipationBan.objects.bulk_create(new)
    ParticipationBan.objects.bulk_update(changed, list(BAN_FIELDS))
    return len(new), len(changed)


def _example_number(first_nine: str) -> str:
    digits = first_nine + str(check_digit(first_nine))
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


EXAMPLES = {
    "support_records": ("가나정밀(주)", "2023 대·중소 상생형 스마트공장", 2023, "고도화1", 50000000, "완료"),
    "bans": ("기업", "사업비 목적 외 사용", "스마트공장 보급사업 관리지침", "2024-03-02", ""),
}
FILENAMES = {"support_records": "지원이력_양식", "bans": "참여제한_양식"}


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty template with the kind's headers (and one example row): (content, filename, content type);
    fmt "xlsx" or "csv"."""
    if kind not in reading.KINDS or fmt not in ("xlsx", "csv"):
        raise ValueError(f"no template {kind}.{fmt}")
    example = (_example_number("220811234"), *EXAMPLES[kind])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"template.{fmt}")
        writing.write_file(path, kind, fmt, [example])
        with open(path, "rb") as handle:
            content = handle.read()
    content_type = CONTENT_TYPES["xlsx"] if fmt == "xlsx" else "text/csv; charset=utf-8"
    return content, f"{FILENAMES[kind]}.{fmt}", content_type
