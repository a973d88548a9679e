"""A report's run on a worker: claim it, make its file, put the file in place, finish or fail.

- Claimed with one conditional UPDATE: only a `pending` report, a `running` one whose worker is
  gone (no heartbeat for REPORT_HEARTBEAT_STALE seconds) or the same task message redelivered
  after its worker died (acks_late + reject_on_worker_lost). A second delivery of a report being
  made or already made does nothing.
- While it runs, a thread of its process touches `heartbeat_at` every REPORT_HEARTBEAT_SECONDS,
  whatever the run is doing (a long PDF render reports no progress): a live run, however long,
  keeps a fresh heartbeat, and a killed process stops beating with it.
- The generator writes to a temporary file outside the stored names. Only the complete file is then
  put in the storage — one upload to the object store every node shares, or one rename on local disk
  (the temporary file is made in MEDIA_ROOT/.partial/, on the same file system, for that) — and the
  report marked `done` right after: a half-written file is never stored under a report's name nor
  offered for download (the report is `done` only once its file is there). A run that has lost its
  report meanwhile, or cannot mark it, deletes what it stored.
- Any error marks the report `failed` with a Korean message; the temporary file is removed whatever
  happens. A killed run may leave its temporary file behind: the sweeper removes those of reports
  no run holds.
- The sweeper (every minute) sends `pending` reports again and resumes a lost `running` one by
  returning it to `pending` — once: after REPORT_MAX_ATTEMPTS claims it is `failed` with a Korean
  message. So a killed worker's report is running again within about REPORT_HEARTBEAT_STALE plus
  a minute, and no report stays `running` for ever.
"""

import datetime
import logging
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.generators import generate
from reports.generators.progress import Progress
from reports.models import Report, report_path

logger = logging.getLogger(__name__)
R = Report.Status
PENDING_GRACE = datetime.timedelta(minutes=1)
ERROR_MAX = 2000
SCRATCH = ".partial"


def _lost(now: datetime.datetime) -> Q:
    """A `running` report whose run has given no sign of life for REPORT_HEARTBEAT_STALE seconds
    (a run from before heartbeats were kept is judged by when it started)."""
    silent_since = now - datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_STALE)
    return Q(status=R.RUNNING) & (
        Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True)
    )


def _mine(report_id: int, task_id: str) -> Q:
    """The report while this run holds it (a run that lost it to another changes nothing)."""
    return Q(pk=report_id, status=R.RUNNING, task_id=task_id)


def file_name(report: Report) -> str:
    """The name the finished file is stored under (the storage may add a suffix if it is taken)."""
    stamp = timezone.localtime(report.created_at).strftime("%Y%m%d-%H%M")
    return report_path(report, f"{report.kind}-{report.pk}-{stamp}.{report.format}")


def download_name(report: Report) -> str:
    """The name the browser saves: 사업현황-12-20261121.xlsx."""
    label = str(Report.Kind(report.kind).label).replace(" ", "")
    return f"{label}-{report.pk}-{timezone.localtime(report.created_at):%Y%m%d}.{report.format}"


def report_claim(*, report_id: int, task_id: str = "") -> Report | None:
    """Take the report for this run, or None if it is made, being made or failed."""
    now = timezone.now()
    claimable = Q(status=R.PENDING) | _lost(now)
    if task_id:
        claimable |= Q(status=R.RUNNING, task_id=task_id)  # redelivered: its worker died
    with transaction.atomic():
        claimed = Report.objects.filter(claimable, pk=report_id).update(
            status=R.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, progress=0, error=""
        )
        if not claimed:
            return None
        report = Report.objects.select_related("program", "sponsor").get(pk=report_id)
        report.attempts, report.task_id = report.attempts + 1, task_id
        if report.attempts > settings.REPORT_MAX_ATTEMPTS:
            report.status, report.finished_at = R.FAILED, now
            report.error = _gave_up_message(report.attempts - 1)
            report.save(update_fields=["attempts", "task_id", "status", "finished_at", "error"])
            return None
        report.save(update_fields=["attempts", "task_id"])
    return report


def _gave_up_message(attempts: int) -> str:
    return _("보고서를 만드는 작업이 %(count)d번 중단되어 더 시도하지 않습니다. 다시 요청해 주세요.") % {
        "count": attempts
    }


def _store_progress(report_id: int, task_id: str):
    def store(percent: int) -> None:
        Report.objects.filter(_mine(report_id, task_id)).update(progress=percent)

    return store


def _beat(report_id: int, task_id: str) -> None:
    Report.objects.filter(_mine(report_id, task_id)).update(heartbeat_at=timezone.now())


@contextmanager
def heartbeat(report_id: int, task_id: str, *, every: float | None = None):
    """While the block runs, a daemon thread beats for the run every `every` seconds
    (REPORT_HEARTBEAT_SECONDS) on its own database connection. It dies with the process, so a
    killed worker's report falls silent; the block's end stops it."""
    every = settings.REPORT_HEARTBEAT_SECONDS if every is None else every
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    _beat(report_id, task_id)
                except Exception:  # a missed beat is not the run's failure; the next one may pass
                    logger.warning("report %s: heartbeat not stored", report_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def report_generate(*, report_id: int, task_id: str = "") -> Report | None:
    """Make the report's file if this run may (see report_claim). Returns the report as it ended
    (`done` or `failed`), or None when there was nothing to do. Reports are Korean documents
    (headers, sheet names, messages), whichever language the request that started them used."""
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(report_id=report_id, task_id=task_id)


def _generate(*, report_id: int, task_id: str) -> Report | None:
    report = report_claim(report_id=report_id, task_id=task_id)
    if report is None:
        return None
    handle, temp = tempfile.mkstemp(prefix=f"report-{report.pk}-", suffix=f".{report.format}", dir=_scratch())
    os.close(handle)
    try:
        with heartbeat(report.pk, task_id):
            generate(report, temp, Progress(_store_progress(report.pk, task_id)))
        _complete(report, task_id=task_id, temp=temp)
    except Exception as error:
        logger.exception("report %s failed", report.pk)
        _fail(report, task_id=task_id, error=error)
    finally:
        Path(temp).unlink(missing_ok=True)
    report.refresh_from_db()
    return report


def _scratch() -> str | None:
    """Where a run writes its file: next to the stored files when the storage is the local disk (so
    that storing it is one rename, never a file growing under its final name), the system's
    temporary directory otherwise."""
    try:
        directory = Path(default_storage.path(SCRATCH))
    except NotImplementedError:  # object storage: the upload is whole or absent
        return None
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory)


def _scratch_sweep() -> int:
    """Remove the temporary files killed runs left behind, those of reports no run holds now."""
    directory = _scratch()
    if directory is None:
        return 0
    held = {f"report-{pk}-" for pk in Report.objects.filter(status=R.RUNNING).values_list("pk", flat=True)}
    removed = 0
    for path in Path(directory).glob("report-*"):
        if not any(path.name.startswith(prefix) for prefix in held):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class _Complete(File):
    """The finished temporary file. Local storage moves a file that names its path into place
    (django.core.files.move.file_move_safe: a rename on the same file system)."""

    def __init__(self, source, path: str):
        super().__init__(source, name=path)
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


def _complete(report: Report, *, task_id: str, temp: str) -> None:
    """Store the complete file, then mark the report `done` with the name it was stored under. A run
    that no longer holds the report, or whose update fails, deletes what it stored: no object is
    left that no report names."""
    max_length = Report._meta.get_field("file").max_length
    with open(temp, "rb") as source:
        name = default_storage.save(file_name(report), _Complete(source, temp), max_length=max_length)
    done = 0
    try:
        with transaction.atomic():
            done = Report.objects.filter(_mine(report.pk, task_id)).update(
                status=R.DONE, progress=100, file=name, finished_at=timezone.now(), error=""
            )
    finally:
        if not done:
            default_storage.delete(name)


def _error_message(error: Exception) -> str:
    if isinstance(error, SoftTimeLimitExceeded):
        return _("시간 제한을 넘겨 보고서 생성을 중단했습니다. 기간이나 대상을 좁혀 다시 요청해 주세요.")
    detail = str(error) or error.__class__.__name__
    return (_("보고서를 만들지 못했습니다: %(detail)s") % {"detail": detail})[:ERROR_MAX]


def _fail(report: Report, *, task_id: str, error: Exception) -> None:
    Report.objects.filter(_mine(report.pk, task_id)).update(
        status=R.FAILED, error=_error_message(error), finished_at=timezone.now()
    )


def report_sweep(*, now: datetime.datetime | None = None) -> dict:
    """Return lost `running` reports (no heartbeat) to `pending` to be resumed, or fail them once
    they have had REPORT_MAX_ATTEMPTS runs; then send every report `pending` for more than a
    minute to a worker again. Safe to run at any time, and alongside the runs themselves: a run
    that beats meanwhile is no longer lost and is left alone."""
    from reports.services import report_enqueue

    now = now or timezone.now()
    requeued, failed = [], 0
    for report in Report.objects.filter(_lost(now)).only("pk", "attempts"):
        still_lost = Report.objects.filter(_lost(now), pk=report.pk)
        if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            failed += still_lost.update(
                status=R.FAILED, error=_gave_up_message(report.attempts), finished_at=now
            )
        elif still_lost.update(status=R.PENDING, progress=0, heartbeat_at=None):
            requeued.append(report.pk)
    waiting = Report.objects.filter(status=R.PENDING, created_at__lt=now - PENDING_GRACE).exclude(
        pk__in=requeued
    )
    to_send = [*requeued, *waiting.order_by("created_at").values_list("pk", flat=True)]
    sent = sum(report_enqueue(report_id=pk) for pk in to_send)
    return {"requeued": len(requeued), "failed": failed, "sent": sent, "scratch_removed": _scratch_sweep()}
