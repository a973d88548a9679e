"""Reports through a real Celery worker on Redis and PostgreSQL: the beat entries produce their
files, and a worker killed in the middle of a report leaves it neither `running` for ever nor
with a half-written file at its final name."""

import functools
import signal
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from config.celery import app
from reports.models import Report
from reports.runs import report_sweep
from reports.tasks import generate_report
from reports.tests.report_data import populated_program
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from tests.workers import forget_queue, start_worker, stop, wait_for

K, F, R = Report.Kind, Report.Format, Report.Status
pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def report_dir(report: Report) -> Path:
    return Path(default_storage.path(f"private/reports/{report.pk}"))


class FinalNameWatch:
    """Every time it looks, whatever is stored for the report is complete (the run writes to a
    scratch file and renames it into place, then marks the report done); while it runs, nothing is
    stored under the report's names."""

    def __init__(self, report: Report, rows: int):
        self.report, self.rows, self.looks, self.seen_running = report, rows, 0, False

    def __call__(self) -> None:
        self.looks += 1
        directory = report_dir(self.report)
        stored = list(directory.iterdir()) if directory.exists() else []
        if not stored and Report.objects.get(pk=self.report.pk).status == R.RUNNING:
            self.seen_running = True
        for path in stored:
            assert openpyxl.load_workbook(path)["신청서"].max_row == self.rows + 1, path.name


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """This test's own MEDIA_ROOT, shared with the workers it starts (TEST_MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def current(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


@pytest.mark.parametrize("entry", ["reports-fund-status-monthly", "reports-program-status-quarterly"])
def test_a_beat_entry_run_by_a_real_worker_leaves_the_report_file(entry, tmp_path):
    program = populated_program()
    ProgramFactory(status="draft")  # not reported on
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]
    queue = f"test-reports-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        app.send_task(schedule["task"], args=schedule.get("args", ()), queue=queue)
        done = wait_for(lambda: Report.objects.filter(scheduled=True, status=R.DONE).exists(), timeout=90)
    finally:
        stop(worker)
    assert done, f"no scheduled report was made; worker log:\n{log.read_text()}"
    report = Report.objects.get(scheduled=True)
    assert (report.kind, report.program, report.format) == (schedule["args"][0], program, F.XLSX)
    path = Path(default_storage.path(report.file.name))
    first_sheet = {"fund_status": "사업별 기금", "program_status": "사업별 현황"}[report.kind]
    assert openpyxl.load_workbook(path).sheetnames[0] == first_sheet
    output = log.read_text()
    assert "reports.scheduled" in output and "reports.generate" in output


def _slow_export(rows: int) -> Report:
    program = ProgramFactory()
    for _ in range(rows):
        ApplicationFactory(program=program, submitted=True)
    return Report.objects.create(
        kind=K.APPLICATIONS_EXPORT, format=F.XLSX, program=program, requested_by=UserFactory(role="staff")
    )


def _kill_mid_report(report: Report, queue: str, log: Path, watch: FinalNameWatch, until=None, **env) -> None:
    """Start a slow run of the report on a worker of its own (0.3 s per progress tick,
    tests/slow_worker.py) and SIGKILL that worker once `until` (by default: 20 % made) holds."""
    worker = start_worker(queue, log, pauses={"report_tick": 0.3}, **env)
    until = until or (lambda: current(report).progress >= 20)
    try:
        generate_report.apply_async(args=[report.pk], queue=queue)
        midway = wait_for(lambda: current(report).status == R.RUNNING and until(), timeout=60, every=watch)
        assert midway, f"the report never got going; worker log:\n{log.read_text()}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    watch()
    killed = current(report)
    assert killed.status == R.RUNNING and not killed.file  # as the dead worker left it


def test_a_worker_killed_mid_report_never_leaves_it_running_nor_half_written(
    tmp_path, monkeypatch, request, settings
):
    """Two ways back, in one test so that no other test's worker restores our messages meanwhile
    (Redis keeps one list of unacknowledged messages for every queue of the database)."""
    queue = f"test-reports-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    request.addfinalizer(lambda: forget_queue(queue))

    # 1. acks_late: with a short visibility timeout Redis hands the unacknowledged message of the
    # killed worker to the next worker, and the redelivered message takes the report over.
    rows = 40
    report = _slow_export(rows)
    watch = FinalNameWatch(report, rows)
    _kill_mid_report(report, queue, log, watch, CELERY_VISIBILITY_TIMEOUT="2")
    time.sleep(2.5)
    worker = start_worker(queue, log, CELERY_VISIBILITY_TIMEOUT="2")
    try:
        ended = wait_for(lambda: current(report).status in (R.DONE, R.FAILED), timeout=90, every=watch)
    finally:
        stop(worker)
    assert ended, f"the report stayed {current(report).status}; worker log:\n{log.read_text()}"
    report = current(report)
    assert report.status == R.DONE, report.error
    assert report.attempts == 2  # the killed run, then the redelivered message
    watch()
    assert watch.looks > 10 and watch.seen_running
    assert [p.name for p in report_dir(report).iterdir()] == [Path(report.file.name).name]

    # 2. The message comes back only after an hour (the default visibility timeout): the sweeper
    # (beat, every minute) sees the killed run's heartbeat stop and resumes the report as soon as
    # the heartbeat is older than REPORT_HEARTBEAT_STALE (5 s here: the sweeper runs in this
    # process), while the same run alive, beating, was never taken for dead.
    settings.REPORT_HEARTBEAT_STALE = window = 5
    monkeypatch.setattr(
        generate_report, "apply_async", functools.partial(generate_report.apply_async, queue=queue)
    )
    rows = 60
    report = _slow_export(rows)
    watch = FinalNameWatch(report, rows)

    def alive_past_the_window() -> bool:
        running_for = (timezone.now() - current(report).started_at).total_seconds()
        if running_for < window + 1:
            return False
        assert report_sweep()["requeued"] == 0  # running longer than the window, but beating
        return True

    # The workers beat every second (REPORT_HEARTBEAT_SECONDS), well inside the 5 s window.
    _kill_mid_report(report, queue, log, watch, until=alive_past_the_window, REPORT_HEARTBEAT_SECONDS="1")
    killed_at = time.monotonic()
    # The killed run's message stays away: another test's worker (2 s visibility timeout, same Redis
    # database) would otherwise hand it back to this queue within seconds, and the new worker would
    # finish the report before the sweeper has a chance to show it resumes it.
    forget_queue(queue)
    worker = start_worker(queue, log, REPORT_HEARTBEAT_SECONDS="1")
    try:
        assert report_sweep()["requeued"] == 0  # the last heartbeat is still recent
        assert current(report).status == R.RUNNING  # a new worker alone does not know it is lost
        resumed = wait_for(lambda: report_sweep()["requeued"] == 1, timeout=window + 10, every=watch)
        silent_for = time.monotonic() - killed_at
        # never before the window (the last beat came at most a second before the kill); how soon after
        # depends on the machine's load, bounded by wait_for's timeout
        assert resumed and silent_for >= window - 2, silent_for
        ended = wait_for(lambda: current(report).status in (R.DONE, R.FAILED), timeout=90, every=watch)
    finally:
        stop(worker)
    assert ended, f"the report stayed {current(report).status}; worker log:\n{log.read_text()}"
    report = current(report)
    assert report.status == R.DONE, report.error
    assert report.attempts == 2  # the killed run, then the one resumption
    watch()
    assert [p.name for p in report_dir(report).iterdir()] == [Path(report.file.name).name]
