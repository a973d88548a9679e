"""Requesting reports (docs/domain.md §9): who may ask for what, and handing the work to a Celery worker.

Nothing asked for is lost when the broker is down: the report is saved `pending` first and sent
to the worker once the transaction commits; if sending fails it stays `pending` and the sweeper
(reports.runs.report_sweep, every 5 minutes) sends it again.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from accounts.roles import is_official, is_sponsor_user
from applicants.filters import ApplicationFilter
from config.errors import NotAllowed
from program.models import Program, Sponsor
from program.permissions import user_agency_id
from program.services import audit_event_record
from program.validators import validate_plausible_date
from reports.generators import FORMATS
from reports.generators.applications import FILTER_KEYS, filter_data
from reports.models import Report
from reports.permissions import can_request_report
from reports.selectors import report_visible  # noqa: F401 (part of this module's interface)

logger = logging.getLogger(__name__)
BROKER_ERRORS = (KombuError, RedisError, OSError)


def _scope(*, actor, program: Program | None, sponsor: Sponsor | None, scheduled: bool):
    """The (program, sponsor) the report may cover for `actor`; NotAllowed outside its scope."""
    if actor is None:
        if not scheduled:
            raise NotAllowed()
        return program, sponsor
    if not can_request_report(actor):
        raise NotAllowed()
    if is_official(actor):
        if not can_request_report(actor, program=program):
            raise NotAllowed(_("소속 협업기관 사업의 보고서만 요청할 수 있습니다."))
        return program, sponsor
    if not can_request_report(actor, program=program, sponsor=sponsor):
        raise NotAllowed(_("자기 주관기관의 보고서만 요청할 수 있습니다."))
    if program is None and sponsor is None:
        sponsor = actor.sponsor
    return program, sponsor


def _validate(*, kind, format, program, sponsor, period_start, period_end) -> None:
    errors = {}
    if kind not in FORMATS:
        errors["kind"] = _("알 수 없는 보고서 종류입니다.")
    elif format not in FORMATS[kind]:
        errors["format"] = _("%(kind)s 보고서는 %(formats)s 형식으로만 만들 수 있습니다.") % {
            "kind": Report.Kind(kind).label,
            "formats": ", ".join(fmt.upper() for fmt in FORMATS[kind]),
        }
    if program is not None and sponsor is not None and program.sponsor_id != sponsor.pk:
        errors["sponsor"] = _("선택한 사업의 주관기관이 아닙니다.")
    for name, day in (("period_start", period_start), ("period_end", period_end)):
        try:
            validate_plausible_date(day)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if period_start and period_end and period_end < period_start and "period_end" not in errors:
        errors["period_end"] = _("기간 끝은 기간 시작보다 빠를 수 없습니다.")
    if errors:
        raise ValidationError(errors)


def _clean_filters(*, kind, filters: dict | None) -> dict:
    """applications_export keeps the staff list's filters (validated as the list validates them);
    other kinds take none. The report's own bookkeeping (scope, attempts, task) has its columns."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "", [])}
    if kind != Report.Kind.APPLICATIONS_EXPORT and filters:
        raise ValidationError({"filters": _("조건은 신청서 목록 보고서에만 지정할 수 있습니다.")})
    unknown = sorted(set(filters) - set(FILTER_KEYS) - {"ordering"})
    if unknown:
        raise ValidationError({"filters": _("알 수 없는 조건입니다: %s") % ", ".join(unknown)})
    filterset = ApplicationFilter(filter_data(filters), queryset=ApplicationFilter._meta.model.objects.none())
    if not filterset.is_valid():
        raise ValidationError(
            {"filters": [f"{name}: {' '.join(errs)}" for name, errs in filterset.errors.items()]}
        )
    return filters


@transaction.atomic
def report_request(
    *,
    actor,
    kind: str,
    format: str,
    program: Program | None = None,
    sponsor: Sponsor | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    filters: dict | None = None,
    scheduled: bool = False,
) -> Report:
    """Save a report `pending` and have a worker make it once this transaction commits.

    The ministry may ask for any report, staff for any on their agency's programs (the report keeps
    to that agency's programs); a sponsor user only for its own sponsor or one of its programs
    (with neither given, its sponsor); anyone else, and anything else, raises NotAllowed. Scheduled
    reports are asked for by no one (`actor=None`). Raises ValidationError (Korean, per field) for a
    format the kind does not come in, a reversed period or unknown filters.
    """
    program, sponsor = _scope(actor=actor, program=program, sponsor=sponsor, scheduled=scheduled)
    _validate(
        kind=kind,
        format=format,
        program=program,
        sponsor=sponsor,
        period_start=period_start,
        period_end=period_end,
    )
    report = Report.objects.create(
        kind=kind,
        format=format,
        program=program,
        sponsor=sponsor,
        period_start=period_start,
        period_end=period_end,
        filters=_clean_filters(kind=kind, filters=filters),
        # row by row, a sponsor user's report keeps to what the sponsor may see
        scope=Report.Scope.SPONSOR if is_sponsor_user(actor) else "",
        # whose programs it covers and whose staff see it: the requester's agency, a scheduled
        # report's program's (docs/domain.md §1)
        agency_id=program.agency_id if actor is None and program is not None else user_agency_id(actor),
        requested_by=actor,
        scheduled=scheduled,
    )
    audit_event_record(
        actor=actor,
        action="report.request",
        target=report,
        after={"kind": kind, "format": format, "program": report.program_id, "sponsor": report.sponsor_id},
    )
    transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return report


def report_enqueue(*, report_id: int) -> bool:
    """Send the report to a worker. False, and the report left `pending`, when the broker is down."""
    from reports.tasks import generate_report

    try:
        generate_report.apply_async(
            args=[report_id],
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        )
    except BROKER_ERRORS:
        logger.warning("report %s stays pending: the task broker is unreachable", report_id, exc_info=True)
        return False
    return True


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _previous_quarter_end(today: datetime.date) -> datetime.date:
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    return quarter_start - datetime.timedelta(days=1)


def report_schedule(*, kind: str, today: datetime.date | None = None) -> list[Report]:
    """The periodic reports (Celery beat): one XLSX per open or closed program.

    `fund_status` (monthly) covers the month just ended: balances now, movements in that month.
    `program_status` (quarterly) covers the applications submitted up to the end of the quarter
    just ended. Running twice for the same period adds nothing, also when two schedulers run at
    once: the database's unique constraint refuses the second insert, which is skipped here.
    """
    today = today or timezone.localdate()
    if kind == Report.Kind.FUND_STATUS:
        period_start, period_end = _previous_month(today)
    elif kind == Report.Kind.PROGRAM_STATUS:
        period_start, period_end = None, _previous_quarter_end(today)
    else:
        raise ValueError(f"no schedule for {kind}")
    made = []
    programs = Program.objects.filter(status__in=[Program.Status.OPEN, Program.Status.CLOSED]).order_by("pk")
    for program in programs:
        already = Report.objects.filter(
            scheduled=True, kind=kind, program=program, period_start=period_start, period_end=period_end
        ).exclude(status=Report.Status.FAILED)
        if already.exists():
            continue
        try:
            with transaction.atomic():
                report = report_request(
                    actor=None,
                    kind=kind,
                    format=Report.Format.XLSX,
                    program=program,
                    period_start=period_start,
                    period_end=period_end,
                    scheduled=True,
                )
        except IntegrityError:  # the other scheduler's insert came first
            continue
        made.append(report)
    return made
