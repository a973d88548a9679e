"""A report's run (reports.runs, reports.tasks): claimed once, its file in place only when complete,
failed with a Korean message on error, never left `running`."""

import datetime
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from reports import generators
from reports.models import Report
from reports.runs import SCRATCH, file_name, heartbeat, report_claim, report_generate, report_sweep
from reports.tasks import generate_report, scheduled_report, sweep_reports
from reports.tests.report_data import populated_program, report_for
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_media")]


K, F, R = Report.Kind, Report.Format, Report.Status


@pytest.fixture
def report():
    return report_for(K.PROGRAM_STATUS, F.XLSX, program=populated_program())


def final_path(report) -> Path:
    return Path(default_storage.path(file_name(report)))


def files_in(report) -> list[str]:
    directory = final_path(report).parent
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_the_task_makes_the_file_and_marks_the_report_done(report):
    assert generate_report(report.pk) == R.DONE
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (R.DONE, 100, "")
    assert report.started_at <= report.finished_at
    assert report.file.name == file_name(report)
    assert openpyxl.load_workbook(final_path(report)).sheetnames[0] == "사업별 현황"
    assert files_in(report) == [final_path(report).name]  # no temporary file left


def test_a_second_delivery_of_a_done_report_does_nothing(report):
    generate_report(report.pk)
    report.refresh_from_db()
    made = final_path(report).stat().st_mtime_ns
    assert generate_report(report.pk) is None
    assert report_claim(report_id=report.pk, task_id="another") is None
    after = Report.objects.get(pk=report.pk)
    assert (after.status, after.finished_at) == (R.DONE, report.finished_at)
    assert final_path(report).stat().st_mtime_ns == made


def test_a_report_being_made_is_not_claimed_twice(report):
    assert report_claim(report_id=report.pk, task_id="first") is not None
    assert report_claim(report_id=report.pk, task_id="second") is None
    assert report_generate(report_id=report.pk, task_id="second") is None
    assert Report.objects.get(pk=report.pk).status == R.RUNNING


def test_the_same_message_redelivered_after_its_worker_died_takes_the_report_over(report):
    assert report_claim(report_id=report.pk, task_id="message-1") is not None
    # the worker died; acks_late + reject_on_worker_lost deliver message-1 again
    done = report_generate(report_id=report.pk, task_id="message-1")
    assert done.status == R.DONE and done.attempts == 2


def test_a_generator_that_fails_midway_leaves_no_file_and_a_failed_report(report, monkeypatch):
    def half_then_fail(report, path, progress):
        with open(path, "wb") as handle:
            handle.write(b"PK\x03\x04 half a workbook")
        progress(50)
        raise RuntimeError("disk full")

    monkeypatch.setitem(generators.GENERATORS, (K.PROGRAM_STATUS, F.XLSX), half_then_fail)
    assert generate_report(report.pk) == R.FAILED
    report.refresh_from_db()
    assert report.status == R.FAILED and report.progress == 50
    assert report.error == "보고서를 만들지 못했습니다: disk full"
    assert report.finished_at and not report.file
    assert files_in(report) == []


def test_the_file_is_stored_only_once_complete_and_in_one_rename(report, monkeypatch, settings):
    """Written in full apart from the stored names, on the same file system, then moved into place:
    the final name never shows a file that is still growing."""
    seen = []
    real = generators.GENERATORS[(K.PROGRAM_STATUS, F.XLSX)]

    def watching(report, path, progress):
        real(report, path, progress)
        seen.append((Path(path).parent, final_path(report).exists(), Path(path).stat().st_ino))

    monkeypatch.setitem(generators.GENERATORS, (K.PROGRAM_STATUS, F.XLSX), watching)
    generate_report(report.pk)
    [(directory, stored_yet, inode)] = seen
    assert directory == Path(settings.MEDIA_ROOT) / SCRATCH and not stored_yet
    assert final_path(report).stat().st_ino == inode  # the same file, renamed: never copied in place
    assert list(directory.iterdir()) == []


def test_the_sweeper_removes_what_killed_runs_left_in_the_scratch_directory(report, settings):
    """A run killed while writing leaves its temporary file; once no run holds that report, the
    sweeper removes it. A report being made keeps its own."""
    scratch = Path(settings.MEDIA_ROOT) / SCRATCH
    scratch.mkdir(parents=True)
    other = report_for(K.PROGRAM_STATUS, F.XLSX, program=report.program)
    Report.objects.filter(pk=other.pk).update(status=R.RUNNING, started_at=timezone.now())
    (scratch / f"report-{report.pk}-killed.xlsx").write_bytes(b"PK half")
    (scratch / f"report-{other.pk}-writing.xlsx").write_bytes(b"PK growing")
    assert report_sweep()["scratch_removed"] == 1
    assert [p.name for p in scratch.iterdir()] == [f"report-{other.pk}-writing.xlsx"]


def test_a_run_that_lost_its_report_meanwhile_deletes_what_it_stored(report, monkeypatch):
    real = generators.GENERATORS[(K.PROGRAM_STATUS, F.XLSX)]

    def taken_over(report, path, progress):
        real(report, path, progress)
        Report.objects.filter(pk=report.pk).update(task_id="another run")  # the sweeper resumed it

    monkeypatch.setitem(generators.GENERATORS, (K.PROGRAM_STATUS, F.XLSX), taken_over)
    assert report_generate(report_id=report.pk, task_id="first") is not None
    after = Report.objects.get(pk=report.pk)
    assert (after.status, after.file.name) == (R.RUNNING, "")  # left to the run that holds it
    assert files_in(report) == []


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def running(report, *, started: float, heartbeat: float | None, attempts: int = 1) -> None:
    """The report as a run left it: started and last heard of so many seconds ago."""
    Report.objects.filter(pk=report.pk).update(
        status=R.RUNNING,
        progress=50,
        started_at=ago(started),
        heartbeat_at=None if heartbeat is None else ago(heartbeat),
        attempts=attempts,
        task_id="dead-worker",
    )


def test_the_sweeper_resumes_a_report_whose_heartbeat_stopped(report, settings):
    running(report, started=200, heartbeat=settings.REPORT_HEARTBEAT_STALE + 5)
    assert sweep_reports() == {"requeued": 1, "failed": 0, "sent": 1, "scratch_removed": 0}
    report.refresh_from_db()
    assert report.status == R.DONE and report.attempts == 2


@pytest.mark.parametrize(("beyond_window", "lost"), [(-5, False), (+5, True)])
def test_a_run_is_lost_only_once_its_heartbeat_is_older_than_the_window(
    report, settings, beyond_window, lost
):
    """Three hours in, the run is alive while it was heard of within REPORT_HEARTBEAT_STALE."""
    running(report, started=3 * 3600, heartbeat=settings.REPORT_HEARTBEAT_STALE + beyond_window)
    assert report_sweep()["requeued"] == int(lost)
    assert Report.objects.get(pk=report.pk).status == (R.DONE if lost else R.RUNNING)


def test_a_long_report_that_still_beats_is_not_run_twice(report, settings):
    """Two hours in (past any fixed time limit) with a heartbeat a second ago: alive."""
    running(report, started=2 * 3600, heartbeat=1)
    assert report_sweep() == {"requeued": 0, "failed": 0, "sent": 0, "scratch_removed": 0}
    assert report_claim(report_id=report.pk, task_id="another message") is None
    assert Report.objects.get(pk=report.pk).status == R.RUNNING


def test_a_run_from_before_heartbeats_is_judged_by_when_it_started(report, settings):
    running(report, started=settings.REPORT_HEARTBEAT_STALE + 5, heartbeat=None)
    assert report_sweep()["requeued"] == 1


def test_a_report_being_made_now_is_left_alone_by_the_sweeper(report):
    Report.objects.filter(pk=report.pk).update(status=R.RUNNING, progress=40, started_at=timezone.now())
    assert report_sweep() == {"requeued": 0, "failed": 0, "sent": 0, "scratch_removed": 0}
    assert Report.objects.get(pk=report.pk).status == R.RUNNING


def test_a_report_is_resumed_once_and_fails_when_its_second_run_dies_too(report, settings):
    assert settings.REPORT_MAX_ATTEMPTS == 2  # the first run and one resumption
    running(report, started=600, heartbeat=settings.REPORT_HEARTBEAT_STALE + 1, attempts=2)
    assert report_sweep() == {"requeued": 0, "failed": 1, "sent": 0, "scratch_removed": 0}
    report.refresh_from_db()
    assert report.status == R.FAILED and report.finished_at
    assert report.error == "보고서를 만드는 작업이 2번 중단되어 더 시도하지 않습니다. 다시 요청해 주세요."
    # a redelivered message of the last run gives up too
    Report.objects.filter(pk=report.pk).update(status=R.RUNNING, started_at=timezone.now())
    assert report_generate(report_id=report.pk, task_id="dead-worker") is None
    assert Report.objects.get(pk=report.pk).status == R.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_long_step_without_progress_keeps_the_heartbeat_fresh(report, monkeypatch, settings):
    """A step that reports no progress (a PDF render) for several heartbeat windows is not taken
    for dead: the run's own thread beats meanwhile; it stops beating once the run is over."""
    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    heard = []

    def silent(report, path, progress):
        for _ in range(4):
            Report.objects.filter(pk=report.pk).update(heartbeat_at=ago(600))
            time.sleep(0.3)
            heard.append(Report.objects.get(pk=report.pk).heartbeat_at)
        Path(path).write_bytes(b"PK")

    monkeypatch.setitem(generators.GENERATORS, (K.PROGRAM_STATUS, F.XLSX), silent)
    started = timezone.now()
    assert generate_report(report.pk) == R.DONE
    assert len(heard) == 4 and all(beat >= started for beat in heard), heard
    last = Report.objects.get(pk=report.pk).heartbeat_at
    time.sleep(0.3)
    assert Report.objects.get(pk=report.pk).heartbeat_at == last  # the thread ended with the run


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_only_for_the_run_that_holds_the_report(report):
    """A superseded run (its report resumed by another) beats for nothing: the live run is judged alone."""
    silent = ago(600)
    Report.objects.filter(pk=report.pk).update(status=R.RUNNING, heartbeat_at=silent, task_id="current run")
    with heartbeat(report.pk, "superseded run", every=0.01):
        time.sleep(0.2)
    assert Report.objects.get(pk=report.pk).heartbeat_at == silent
    with heartbeat(report.pk, "current run", every=0.01):
        time.sleep(0.2)
    assert Report.objects.get(pk=report.pk).heartbeat_at > silent


def test_the_scheduled_task_makes_the_reports_of_the_period(eager_tasks, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ids = scheduled_report("fund_status")
    report = Report.objects.get(pk__in=ids)
    assert report.program == program and report.scheduled and report.status == R.DONE
    assert final_path(report).exists()


def test_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    monthly = schedule["reports-fund-status-monthly"]
    quarterly = schedule["reports-program-status-quarterly"]
    assert (monthly["task"], monthly["args"]) == ("reports.scheduled", ("fund_status",))
    assert (quarterly["task"], quarterly["args"]) == ("reports.scheduled", ("program_status",))
    assert monthly["schedule"].day_of_month == {1} and monthly["schedule"].hour == {6}
    assert quarterly["schedule"].month_of_year == {1, 4, 7, 10} and quarterly["schedule"].minute == {30}
    assert schedule["reports-sweep"]["task"] == "reports.sweep"
    assert schedule["reports-sweep"]["schedule"].minute == set(range(60))  # every minute
    assert settings.REPORT_HEARTBEAT_STALE >= 3 * settings.REPORT_HEARTBEAT_SECONDS
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_a_report_asked_for_in_english_is_still_a_korean_document(report):
    from django.utils import translation

    with translation.override("en"):
        generate_report(report.pk)
    assert openpyxl.load_workbook(final_path(report)).sheetnames[-1] == "정보"
