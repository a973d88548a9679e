from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from program.validators import validate_plausible_date


class Contribution(models.Model):
    """출연금: what a sponsor pays into one program (docs/domain.md §2)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("현금")
        IN_KIND = "in_kind", _("현물")

    class Purpose(models.TextChoices):
        BUILD = "build", _("구축지원")
        MARKET = "market", _("판로지원")
        TRAINING = "training", _("역량강화")

    # In-kind contributions may be at most this share of a sponsor's contributions to one program.
    IN_KIND_MAX_PERCENT = 20

    sponsor = models.ForeignKey(
        "program.Sponsor", verbose_name=_("주관기관"), on_delete=models.PROTECT, related_name="contributions"
    )
    program = models.ForeignKey(
        "program.Program", verbose_name=_("사업"), on_delete=models.PROTECT, related_name="contributions"
    )
    amount = models.BigIntegerField(_("금액(원)"))
    kind = models.CharField(_("출연 형태"), max_length=8, choices=Kind.choices, default=Kind.CASH)
    purpose = models.CharField(_("용도"), max_length=10, choices=Purpose.choices, default=Purpose.BUILD)
    received_on = models.DateField(_("입금일"), validators=[validate_plausible_date])
    note = models.CharField(_("비고"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("기록자"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("기록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("출연금")
        verbose_name_plural = _("출연금")
        ordering = ["-received_on", "-id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                field="amount",
                violation_error_message=_("금액은 1원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.sponsor} {self.amount:,}원 ({self.received_on})"


class Pot(models.TextChoices):
    SPONSOR = "sponsor", _("주관기관 재원")
    GOVERNMENT = "government", _("정부 재원")


class LedgerEntry(models.Model):
    """One append-only movement in a program's fund (docs/domain.md §3.3). Balances are derived from these.

    No entry is ever updated or deleted; a correction is a new entry. PostgreSQL refuses an
    UPDATE or DELETE of this table outright (trigger in the migration).
    """

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("재원 입금")
        COMMITMENT = "commitment", _("약정")
        RELEASE = "release", _("약정 해제")
        DISBURSEMENT = "disbursement", _("지급")
        # 환수금 회수: money paid out and collected back (SPEC §18.4); available grows by it.
        RECOVERY = "recovery", _("환수")

    program = models.ForeignKey(
        "program.Program", verbose_name=_("사업"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    pot = models.CharField(_("재원"), max_length=10, choices=Pot.choices)
    kind = models.CharField(_("구분"), max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(_("금액(원)"))
    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    contribution = models.ForeignKey(
        Contribution, verbose_name=_("출연금"), on_delete=models.PROTECT, null=True, blank=True
    )
    disbursement = models.ForeignKey(
        "funds.Disbursement",
        verbose_name=_("지급"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("수행자"), on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("기록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("기금 원장")
        verbose_name_plural = _("기금 원장")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Covers the sums by pot and kind (the dashboard, fund pages) without reading the table.
            models.Index(fields=["program", "pot", "kind", "amount"], name="ledger_prog_pot_kind_amt_idx"),
            models.Index(fields=["application", "kind"], name="ledger_application_kind_idx"),
            # A program's ledger newest first, a page at a time (the fund page) without sorting it all.
            models.Index(fields=["program", "-created_at", "-id"], name="ledger_program_newest_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gt=0),
                name="ledger_amount_positive",
                field="amount",
                violation_error_message=_("금액은 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(pot__in=["sponsor", "government"]),
                name="ledger_pot_known",
                field="pot",
                violation_error_message=_("알 수 없는 재원입니다."),
            ),
            FieldCheckConstraint(
                condition=Q(kind__in=["contribution", "commitment", "release", "disbursement", "recovery"]),
                name="ledger_kind_known",
                field="kind",
                violation_error_message=_("알 수 없는 원장 구분입니다."),
            ),
            FieldCheckConstraint(
                condition=Q(kind="contribution") | Q(application__isnull=False),
                name="ledger_application_movements_name_it",
                field="application",
                violation_error_message=_("약정·약정 해제·지급·환수 기록에는 신청서가 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_pot_display()} {self.amount:,}원"


class PotTotal(models.Model):
    """The running sum of one program's ledger per pot and kind, kept by the database itself: a
    trigger on every ledger INSERT adds the entry's amount (migration 0007, PostgreSQL and SQLite).
    Read-only to the application. Balances read these few rows instead of summing the ledger, whose
    size grows without bound (docs/performance.md); `ledger_totals_mismatches()` checks them."""

    program = models.ForeignKey(
        "program.Program", verbose_name=_("사업"), on_delete=models.CASCADE, related_name="pot_totals"
    )
    pot = models.CharField(_("재원"), max_length=10, choices=Pot.choices)
    kind = models.CharField(_("구분"), max_length=12, choices=LedgerEntry.Kind.choices)
    amount = models.BigIntegerField(_("합계(원)"), default=0)
    entries = models.PositiveIntegerField(_("건수"), default=0)

    class Meta:
        verbose_name = _("재원별 원장 합계")
        verbose_name_plural = _("재원별 원장 합계")
        constraints = [
            FieldUniqueConstraint(
                fields=["program", "pot", "kind"],
                name="pot_total_one_per_kind",
                field="kind",
                violation_error_message=_("사업의 재원·구분별 합계는 하나만 있을 수 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.program_id} {self.pot} {self.kind} {self.amount:,}원"


class Disbursement(models.Model):
    """A payment to a selected application: 선급금 (advance) or 잔금 (final), split pro rata."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("선급금")
        FINAL = "final", _("잔금")

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    kind = models.CharField(_("지급 구분"), max_length=8, choices=Kind.choices)
    amount = models.BigIntegerField(_("지급액(원)"))
    gov_part = models.BigIntegerField(_("정부 재원 지급액"))
    sponsor_part = models.BigIntegerField(_("주관기관 재원 지급액"))
    paid_on = models.DateField(_("지급일"), validators=[validate_plausible_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("기록자"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("기록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("지급")
        verbose_name_plural = _("지급")
        ordering = ["-paid_on", "-id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                field="amount",
                violation_error_message=_("지급액은 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(gov_part__gte=0) & Q(sponsor_part__gte=0),
                name="disbursement_parts_non_negative",
                field="amount",
                violation_error_message=_("재원별 지급액은 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=models.lookups.Exact(F("gov_part") + F("sponsor_part"), F("amount")),
                name="disbursement_parts_sum_to_amount",
                field="amount",
                violation_error_message=_("재원별 지급액의 합은 지급액과 같아야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:,}원"


class CostShare(models.Model):
    """The §3.2 split of one application's total, as last computed by the cost-share task."""

    application = models.OneToOneField(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.CASCADE,
        related_name="cost_share",
    )
    total = models.BigIntegerField(_("총사업비(원)"))
    government = models.BigIntegerField(_("정부 지원금(원)"))
    sponsor = models.BigIntegerField(_("주관기관 부담금(원)"))
    sme = models.BigIntegerField(_("기업 부담금(원)"))
    capped = models.BooleanField(_("정부지원 한도 적용"), default=False)
    repeat_capped = models.BooleanField(_("동일 수준 재지원 한도 적용"), default=False)  # SPEC §15.3
    computed_at = models.DateTimeField(_("계산일시"))

    class Meta:
        verbose_name = _("사업비 분담")
        verbose_name_plural = _("사업비 분담")
        constraints = [
            FieldCheckConstraint(
                condition=Q(total__gte=1),
                name="cost_share_total_positive",
                field="total",
                violation_error_message=_("총사업비는 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(government__gte=0) & Q(sponsor__gte=0) & Q(sme__gte=0),
                name="cost_share_shares_non_negative",
                field="total",
                violation_error_message=_("분담금은 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=models.lookups.Exact(F("government") + F("sponsor") + F("sme"), F("total")),
                name="cost_share_shares_sum_to_total",
                field="total",
                violation_error_message=_("분담금의 합은 총사업비와 같아야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.government:,} / {self.sponsor:,} / {self.sme:,}"


class CostShareRequest(models.Model):
    """Outbox: an application whose split must be (re)computed by the cost-share task.

    Written in the transaction that changed the application, deleted once the task broker has
    accepted the task; a row left behind (broker down, process died before sending) is sent again
    by the sweeper (funds.tasks.sweep_cost_share_requests). The task is idempotent, so sending twice
    costs nothing and nothing is lost.
    """

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("요청일시"), db_index=True)
    attempts = models.PositiveIntegerField(_("재전송 횟수"), default=0)

    class Meta:
        verbose_name = _("사업비 분담 계산 요청")
        verbose_name_plural = _("사업비 분담 계산 요청")

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.created_at:%Y-%m-%d %H:%M}"
