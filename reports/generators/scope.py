"""What a report covers: its programs and applications, and how that reads on its first page."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from program.models import Program
from reports.models import Report


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def report_programs(report: Report) -> QuerySet[Program]:
    """The report's program, or its sponsor's programs, or every program but drafts; of its agency's
    programs only when it has one (docs/domain.md §1)."""
    programs = Program.objects.select_related("sponsor").order_by("-year", "title", "id")
    if report.agency_id:
        programs = programs.filter(agency_id=report.agency_id)
    if report.program_id:
        return programs.filter(pk=report.program_id)
    if report.sponsor_id:
        programs = programs.filter(sponsor_id=report.sponsor_id)
    return programs.exclude(status=Program.Status.DRAFT)


def report_applications(report: Report, *, rows: bool = False) -> QuerySet[Application]:
    """The applications of the report's programs submitted in its period (either end may be open).

    `rows`: the applications are listed one by one, so a sponsor user's report keeps to those the
    sponsor may see. A report of an agency reads that agency's programs' applications only.
    """
    applications = Application.objects.all()
    if report.agency_id:
        applications = applications.filter(program__agency_id=report.agency_id)
    if report.program_id:
        applications = applications.filter(program_id=report.program_id)
    elif report.sponsor_id:
        applications = applications.filter(program__sponsor_id=report.sponsor_id)
    if report.period_start:
        applications = applications.filter(submitted_at__gte=day_start(report.period_start))
    if report.period_end:
        next_day = report.period_end + datetime.timedelta(days=1)
        applications = applications.filter(submitted_at__lt=day_start(next_day))
    if rows and is_sponsor_scoped(report):
        applications = applications.filter(status__in=SPONSOR_VISIBLE)
    return applications


def is_sponsor_scoped(report: Report) -> bool:
    """Set by report_request on reports a sponsor user asked for: only the applications the
    sponsor may see (its programs' projects from selection on) appear row by row."""
    return report.scope == Report.Scope.SPONSOR


def describe(report: Report) -> dict:
    """Title, scope, period and time of making, as the first page and the 정보 sheet show them."""
    if report.program_id:
        scope = str(report.program)
    elif report.sponsor is not None:  # no query when sponsor_id is None
        scope = _("%(sponsor)s의 전체 사업") % {"sponsor": report.sponsor.name}
    else:
        scope = _("전체 사업")
    if report.period_start or report.period_end:
        start = date_format(report.period_start, "SHORT_DATE_FORMAT") if report.period_start else ""
        end = date_format(report.period_end, "SHORT_DATE_FORMAT") if report.period_end else ""
        period = f"{start} ~ {end}"
    else:
        period = _("전체 기간")
    return {
        "title": _("%(kind)s 보고서") % {"kind": report.get_kind_display()},
        "scope": scope,
        "period": period,
        # The app's one date format in the report's language (config/formats/): 2026. 12. 1. 14:05.
        "made_at": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
        "scheduled": report.scheduled,
    }
