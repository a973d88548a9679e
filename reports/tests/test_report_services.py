"""Requesting reports (docs/domain.md §9): who may ask for what, kind × format, and nothing lost when the
broker is down."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from kombu.exceptions import OperationalError

from config.errors import NotAllowed
from program.models import AuditEvent, Program
from reports.models import Report
from reports.runs import report_sweep
from reports.services import report_request, report_schedule, report_visible
from reports.tasks import generate_report
from tests.factories import ProgramFactory, SponsorFactory, UserFactory, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_media")]


K, F, R = Report.Kind, Report.Format, Report.Status


@pytest.fixture
def broker_down(monkeypatch):
    """Sending a task fails as it does when Redis cannot be reached."""
    sent = []

    def refuse(*args, **kwargs):
        sent.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(generate_report, "apply_async", refuse)
    return sent


def request(actor, kind=K.PROGRAM_STATUS, fmt=F.XLSX, **fields):
    return report_request(actor=actor, kind=kind, format=fmt, **fields)


def test_staff_request_any_report_and_it_is_made(
    staff, program, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(staff, program=program)
    report.refresh_from_db()
    assert (report.status, report.progress, report.requested_by) == (R.DONE, 100, staff)
    assert report.file.name.endswith(".xlsx")
    event = AuditEvent.objects.get(action="report.request")
    assert event.actor == staff and event.after["kind"] == "program_status"


def test_a_sponsor_user_reports_on_its_own_sponsor_and_programs(sponsor_user, program):
    assert request(sponsor_user, program=program).program == program
    assert request(sponsor_user, sponsor=program.sponsor).sponsor == program.sponsor
    # with neither, the report covers its own sponsor
    assert request(sponsor_user).sponsor == program.sponsor


def test_a_sponsor_user_may_not_report_on_another_sponsor(sponsor_user):
    other = ProgramFactory()
    with pytest.raises(NotAllowed):
        request(sponsor_user, program=other)
    with pytest.raises(NotAllowed):
        request(sponsor_user, sponsor=other.sponsor)
    assert not Report.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "evaluator", "mentor"])
def test_other_roles_may_not_request_reports(role, program):
    user = user_with_role(role)
    with pytest.raises(NotAllowed):
        request(user, program=program)


def test_only_the_schedule_requests_without_a_user(program):
    with pytest.raises(NotAllowed):
        request(None, program=program)
    assert request(None, program=program, scheduled=True).scheduled


@pytest.mark.parametrize(
    ("kind", "fmt", "allowed"),
    [
        (K.FUND_STATUS, F.XLSX, True),
        (K.FUND_STATUS, F.PDF, False),
        (K.FUND_STATUS, F.CSV, False),
        (K.PROGRAM_STATUS, F.PDF, True),
        (K.PROGRAM_STATUS, F.CSV, False),
        (K.OUTCOMES, F.PDF, True),
        (K.OUTCOMES, F.XLSX, True),
        (K.APPLICATIONS_EXPORT, F.CSV, True),
        (K.APPLICATIONS_EXPORT, F.PDF, False),
    ],
)
def test_kinds_come_in_their_formats(staff, kind, fmt, allowed):
    if allowed:
        assert request(staff, kind, fmt).format == fmt
        return
    with pytest.raises(ValidationError) as caught:
        request(staff, kind, fmt)
    assert "형식으로만 만들 수 있습니다" in caught.value.message_dict["format"][0]


def test_a_reversed_period_and_a_foreign_sponsor_are_field_errors(staff, program):
    with pytest.raises(ValidationError) as caught:
        request(
            staff,
            program=program,
            sponsor=SponsorFactory(),
            period_start=datetime.date(2026, 6, 1),
            period_end=datetime.date(2026, 5, 1),
        )
    assert set(caught.value.message_dict) == {"sponsor", "period_end"}
    assert caught.value.message_dict["period_end"] == ["기간 끝은 기간 시작보다 빠를 수 없습니다."]


def test_the_export_keeps_valid_list_filters_only(staff, sponsor_user):
    report = request(staff, K.APPLICATIONS_EXPORT, F.CSV, filters={"status": ["selected"], "region": "경북"})
    assert report.filters == {"status": ["selected"], "region": "경북"}
    with pytest.raises(ValidationError) as caught:
        request(staff, K.APPLICATIONS_EXPORT, F.CSV, filters={"region": "화성"})
    assert "region" in caught.value.message_dict["filters"][0]
    with pytest.raises(ValidationError):
        request(staff, K.APPLICATIONS_EXPORT, F.CSV, filters={"colour": "red"})
    with pytest.raises(ValidationError):
        request(staff, K.FUND_STATUS, F.XLSX, filters={"region": "경북"})
    # a sponsor user's report keeps, row by row, to what the sponsor may see
    sponsored = request(sponsor_user, K.APPLICATIONS_EXPORT, F.CSV)
    assert (sponsored.filters, sponsored.scope) == ({}, "sponsor")


def test_a_request_while_the_broker_is_down_stays_pending_and_the_sweeper_sends_it(
    staff, program, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(staff, program=program)
    assert len(broker_down) == 1  # it was tried, it failed, and the request still succeeded
    report.refresh_from_db()
    assert report.status == R.PENDING
    # the broker is back; a minute later the sweeper sends it
    monkeypatch.undo()
    sent = []
    monkeypatch.setattr(generate_report, "apply_async", lambda args, **kw: sent.append(args))
    assert report_sweep()["sent"] == 0  # younger than a minute: probably on its way already
    later = report.created_at + datetime.timedelta(minutes=2)
    assert report_sweep(now=later)["sent"] == 1
    assert sent == [[report.pk]]


def test_the_sweeper_itself_survives_the_broker_being_down(staff, program, broker_down):
    report = Report.objects.create(kind=K.FUND_STATUS, format=F.XLSX, program=program, requested_by=staff)
    result = report_sweep(now=report.created_at + datetime.timedelta(minutes=5))
    assert result["sent"] == 0 and len(broker_down) == 1
    report.refresh_from_db()
    assert report.status == R.PENDING


def test_reports_visible_to_each_role(staff, sponsor_user, program):
    mine = request(sponsor_user, program=program)
    scheduled = request(None, program=program, scheduled=True)
    staff_own = request(staff, program=program)  # staff's own on-demand report stays with staff
    other_program = ProgramFactory()
    foreign = request(UserFactory(role="sponsor", sponsor=other_program.sponsor), program=other_program)
    foreign_scheduled = request(None, kind=K.FUND_STATUS, program=other_program, scheduled=True)
    colleague = UserFactory(role="sponsor", sponsor=program.sponsor)
    assert set(report_visible(staff)) == {mine, scheduled, staff_own, foreign, foreign_scheduled}
    assert set(report_visible(sponsor_user)) == {mine, scheduled}
    assert set(report_visible(colleague)) == {mine, scheduled}
    for user in (UserFactory(applicant=True), UserFactory(role="evaluator"), UserFactory(role="mentor")):
        assert not report_visible(user).exists()


def test_the_schedule_makes_one_report_per_active_program_once(staff):
    open_program = ProgramFactory(status=Program.Status.OPEN)
    closed_program = ProgramFactory(status=Program.Status.CLOSED)
    ProgramFactory(status=Program.Status.DRAFT)
    ProgramFactory(status=Program.Status.ARCHIVED)
    made = report_schedule(kind=K.FUND_STATUS, today=datetime.date(2026, 3, 1))
    assert {r.program for r in made} == {open_program, closed_program}
    assert {(r.period_start, r.period_end, r.scheduled, r.format) for r in made} == {
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), True, F.XLSX)
    }
    assert report_schedule(kind=K.FUND_STATUS, today=datetime.date(2026, 3, 1)) == []
    quarterly = report_schedule(kind=K.PROGRAM_STATUS, today=datetime.date(2026, 1, 1))
    assert {(r.period_start, r.period_end) for r in quarterly} == {(None, datetime.date(2025, 12, 31))}


@pytest.mark.parametrize(("kind", "today"), [(K.FUND_STATUS, "2026-03-01"), (K.PROGRAM_STATUS, "2026-01-01")])
def test_a_scheduled_report_exists_once_per_period_whatever_runs_twice(kind, today):
    """Two schedulers (beats) at once: each checks, finds nothing, and inserts. The database's unique
    constraint refuses the second insert, and the schedule skips it instead of failing."""
    from django.db import IntegrityError, transaction
    from django.db.models import QuerySet

    ProgramFactory(status=Program.Status.OPEN)
    today = datetime.date.fromisoformat(today)
    [first] = report_schedule(kind=kind, today=today)

    original = QuerySet.exists
    try:  # the second scheduler checked before the first one's row was there
        QuerySet.exists = lambda self: False if self.model is Report else original(self)
        assert report_schedule(kind=kind, today=today) == []
    finally:
        QuerySet.exists = original
    assert Report.objects.filter(scheduled=True, kind=kind).count() == 1

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=kind, format=F.XLSX, program=first.program, scheduled=True,
            period_start=first.period_start, period_end=first.period_end,
        )  # fmt: skip
    Report.objects.filter(pk=first.pk).update(status=Report.Status.FAILED)
    assert len(report_schedule(kind=kind, today=today)) == 1  # a failed one may be made again
