import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from program.choices import KPI_LOWER_IS_BETTER, KPI_PERCENT, Kpi
from program.validators import validate_plausible_date


class Outcome(models.Model):
    """성과: one KPI of a completed application, baseline → result (docs/domain.md §8)."""

    Kpi = Kpi  # the vocabulary is program's: an agreement's KPI targets use it too (SPEC §16)

    # For these KPIs a fall is an improvement: their change % is negated.
    LOWER_IS_BETTER = KPI_LOWER_IS_BETTER
    PERCENT_KPIS = KPI_PERCENT

    application = models.ForeignKey(
        "applicants.Application", verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kpi = models.CharField(_("성과지표"), max_length=20, choices=Kpi.choices)
    baseline = models.DecimalField(_("도입 전"), max_digits=20, decimal_places=4)
    result = models.DecimalField(_("도입 후"), max_digits=20, decimal_places=4)
    baseline_on = models.DateField(
        _("도입 전 측정일"), null=True, blank=True, validators=[validate_plausible_date]
    )
    measured_on = models.DateField(_("측정일"), validators=[validate_plausible_date])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("입력자"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("입력일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        verbose_name = _("성과")
        verbose_name_plural = _("성과")
        ordering = ["application", "kpi"]
        indexes = [models.Index(fields=["kpi", "measured_on"], name="outcome_kpi_measured_idx")]
        constraints = [
            FieldUniqueConstraint(
                fields=["application", "kpi"],
                name="outcome_one_per_kpi",
                field="kpi",
                violation_error_message=_("이 성과지표는 이미 입력되어 있습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(baseline__gte=0) | Q(kpi="operating_profit"),
                name="outcome_baseline_non_negative",
                field="baseline",
                violation_error_message=_("영업이익 외의 성과지표는 0 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(result__gte=0) | Q(kpi="operating_profit"),
                name="outcome_result_non_negative",
                field="result",
                violation_error_message=_("영업이익 외의 성과지표는 0 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=~Q(kpi__in=["defect_rate", "on_time_delivery"])
                | (Q(baseline__lte=100) & Q(result__lte=100)),
                name="outcome_percent_at_most_100",
                field="result",
                violation_error_message=_("불량률과 납기준수율은 100을 넘을 수 없습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(baseline_on__isnull=True) | Q(measured_on__gte=F("baseline_on")),
                name="outcome_measured_after_baseline",
                field="measured_on",
                violation_error_message=_("측정일은 도입 전 측정일보다 빠를 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.application} {self.get_kpi_display()}"


def report_path(instance, filename):
    return f"private/reports/{instance.pk}/{filename}"


class Report(models.Model):
    """A report produced by a Celery task (docs/domain.md §9), with its progress while it runs."""

    class Kind(models.TextChoices):
        FUND_STATUS = "fund_status", _("기금 현황")
        PROGRAM_STATUS = "program_status", _("사업 현황")
        OUTCOMES = "outcomes", _("성과")
        APPLICATIONS_EXPORT = "applications_export", _("신청서 목록")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        RUNNING = "running", _("생성중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    class Scope(models.TextChoices):
        # Set by report_request on reports a sponsor user asked for: listed row by row, only the
        # applications the sponsor may see appear (reports.generators.scope).
        SPONSOR = "sponsor", _("주관기관 열람 범위")

    kind = models.CharField(_("종류"), max_length=24, choices=Kind.choices)
    format = models.CharField(_("형식"), max_length=4, choices=Format.choices)
    program = models.ForeignKey(
        "program.Program", verbose_name=_("사업"), on_delete=models.PROTECT, null=True, blank=True
    )
    sponsor = models.ForeignKey(
        "program.Sponsor", verbose_name=_("주관기관"), on_delete=models.PROTECT, null=True, blank=True
    )
    period_start = models.DateField(
        _("기간 시작"), null=True, blank=True, validators=[validate_plausible_date]
    )
    period_end = models.DateField(_("기간 끝"), null=True, blank=True, validators=[validate_plausible_date])
    filters = models.JSONField(_("조건"), default=dict, blank=True)
    status = models.CharField(_("상태"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("진행률(%)"), default=0)
    file = models.FileField(_("파일"), upload_to=report_path, max_length=300, blank=True)
    error = models.TextField(_("오류"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    scheduled = models.BooleanField(_("정기 보고서"), default=False)
    created_at = models.DateTimeField(_("요청일시"), auto_now_add=True)
    started_at = models.DateTimeField(_("시작일시"), null=True, blank=True)
    finished_at = models.DateTimeField(_("완료일시"), null=True, blank=True)
    # Touched by the running generator at least every REPORT_HEARTBEAT_SECONDS: a `running` report
    # whose heartbeat is older than REPORT_HEARTBEAT_STALE has lost its worker (reports.runs).
    heartbeat_at = models.DateTimeField(_("마지막 작업 신호"), null=True, blank=True)
    # The run's bookkeeping (reports.runs), kept apart from the user's `filters`: how many runs
    # have claimed the report, and the Celery task of the one holding it.
    attempts = models.PositiveSmallIntegerField(_("실행 횟수"), default=0)
    task_id = models.CharField(_("작업 ID"), max_length=255, blank=True)
    scope = models.CharField(_("열람 범위"), max_length=8, choices=Scope.choices, blank=True)
    # The agency whose programs the report covers and whose staff see it (docs/domain.md §1): the
    # requesting staff's, a scheduled report's program's; none for the ministry and sponsors (every
    # agency, a sponsor row by row its own).
    agency = models.ForeignKey(
        "program.Agency",
        verbose_name=_("협업기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("보고서")
        verbose_name_plural = _("보고서")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(progress__lte=100),
                name="report_progress_at_most_100",
                field="progress",
                violation_error_message=_("진행률은 100을 넘을 수 없습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="report_period_ordered",
                field="period_end",
                violation_error_message=_("기간 끝은 기간 시작보다 빠를 수 없습니다."),
            ),
            FieldCheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="report_done_has_file",
                field="file",
                violation_error_message=_("완료된 보고서에는 파일이 있어야 합니다."),
            ),
            # A scheduled report exists once per kind, program and period, however many schedulers
            # run (docs/domain.md §9): a second beat's insert is refused here. A failed one may be
            # made again. A quarterly report has no period start: the date 1-1-1 stands for it.
            FieldUniqueConstraint(
                F("kind"),
                F("program"),
                Coalesce(F("period_start"), Value(datetime.date(1, 1, 1))),
                F("period_end"),
                condition=Q(scheduled=True) & ~Q(status="failed"),
                name="report_scheduled_once_per_period",
                field="period_end",
                violation_error_message=_("이 사업의 같은 기간 정기 보고서가 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()})"
