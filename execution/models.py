"""집행·정산·환수 (SPEC §18): what a funded project spends with its evidence, the SME's own deposits,
the settlement at the end and the clawbacks of money paid out. The pots stay in funds: money moves
only through funds' services (the ledger), never by writing its tables here."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from program.business_number import validate_business_number
from program.validators import validate_plausible_date

INVOICE_DIGITS = 24  # 전자세금계산서 승인번호


def spending_document_path(instance, filename):
    return f"private/spending/{instance.application_id}/{filename}"


def deposit_document_path(instance, filename):
    return f"private/deposits/{instance.application_id}/{filename}"


class SpendingLine(models.Model):
    """One spending line (집행 내역) recorded by the SME while building, with its evidence (SPEC §18.1).

    Integer KRW excluding VAT; a negative amount is a credit note (세금계산서 취소). The four flags are
    computed once, when the line is recorded, and kept: what staff saw then is what they reviewed."""

    class Evidence(models.TextChoices):
        TAX_INVOICE = "tax_invoice", _("전자세금계산서")
        CARD = "card", _("카드")
        OTHER = "other", _("기타 증빙")

    class Status(models.TextChoices):
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", _("인정")
        DISALLOWED = "disallowed", _("불인정")

    FLAGS = ("supplier_mismatch", "outside_period", "credit_note", "over_budget")

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="spending_lines",
    )
    spent_on = models.DateField(_("집행일"), validators=[validate_plausible_date])
    supplier_business_number = models.CharField(
        _("거래처 사업자등록번호"), max_length=10, validators=[validate_business_number]
    )
    item = models.CharField(_("집행 내용"), max_length=200)
    amount = models.BigIntegerField(_("금액(원, 부가세 제외)"))
    evidence = models.CharField(_("증빙 구분"), max_length=12, choices=Evidence.choices)
    # Unique across the whole system (SPEC §18.1): one invoice is spent once, in one project. NULL,
    # not "", without one, so that the unique constraint leaves card and other evidence alone.
    invoice_number = models.CharField(  # noqa: DJ001
        _("세금계산서 승인번호"), max_length=INVOICE_DIGITS, null=True, blank=True
    )
    document = models.FileField(_("증빙 파일"), upload_to=spending_document_path, max_length=300)
    supplier_mismatch = models.BooleanField(_("협약 공급기업 아님"), default=False)
    outside_period = models.BooleanField(_("협약기간 밖"), default=False)
    credit_note = models.BooleanField(_("취소(마이너스) 세금계산서"), default=False)
    over_budget = models.BooleanField(_("협약 금액 초과"), default=False)
    flagged = models.BooleanField(_("확인 필요"), default=False)  # any of the four, for the queue's order
    status = models.CharField(_("검토 상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("검토 의견"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("검토일시"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("등록자"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("집행 내역")
        verbose_name_plural = _("집행 내역")
        ordering = ["spent_on", "id"]
        indexes = [
            # One application's sums by review status (the settlement) without reading its rows.
            models.Index(fields=["application", "status", "amount"], name="spending_app_status_amt_idx"),
            # The review queue: pending lines, flagged first, oldest first.
            models.Index(
                fields=["status", "-flagged", "created_at", "id"],
                name="spending_queue_idx",
                condition=Q(status="pending"),
            ),
        ]
        constraints = [
            FieldUniqueConstraint(
                fields=["invoice_number"],
                condition=Q(invoice_number__isnull=False),
                name="spending_invoice_number_unique",
                field="invoice_number",
                violation_error_message=_("이미 등록된 세금계산서 승인번호입니다."),
            ),
            FieldCheckConstraint(
                condition=~Q(amount=0),
                name="spending_amount_not_zero",
                field="amount",
                violation_error_message=_("금액은 0원일 수 없습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(invoice_number__isnull=True) | Q(invoice_number__regex=r"^[0-9]{24}$"),
                name="spending_invoice_number_24_digits",
                field="invoice_number",
                violation_error_message=_("세금계산서 승인번호는 숫자 24자리입니다."),
            ),
            FieldCheckConstraint(
                condition=~Q(evidence="tax_invoice") | Q(invoice_number__isnull=False),
                name="spending_tax_invoice_numbered",
                field="invoice_number",
                violation_error_message=_("전자세금계산서는 승인번호가 있어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="spending_reviewed_has_time",
                field="status",
                violation_error_message=_("검토한 내역에는 검토일시가 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.spent_on} {self.item} {self.amount:,}원"

    @property
    def flags(self) -> list[str]:
        return [flag for flag in self.FLAGS if getattr(self, flag)]


class Deposit(models.Model):
    """기업부담금 입금: the SME's own share paid into the project account, recorded by staff (SPEC §18.2)."""

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    amount = models.BigIntegerField(_("입금액(원)"))
    deposited_on = models.DateField(_("입금일"), validators=[validate_plausible_date])
    document = models.FileField(_("입금 증빙"), upload_to=deposit_document_path, max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("기록자"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("기록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("기업부담금 입금")
        verbose_name_plural = _("기업부담금 입금")
        ordering = ["deposited_on", "id"]
        indexes = [models.Index(fields=["application", "amount"], name="deposit_application_amt_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gt=0),
                name="deposit_amount_positive",
                field="amount",
                violation_error_message=_("입금액은 1원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.deposited_on} {self.amount:,}원"


class Settlement(models.Model):
    """정산 확정 (SPEC §18.3): the figures as they stood when staff confirmed. An application without
    this row has its settlement `open`; the open figures are computed, never stored."""

    application = models.OneToOneField(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="settlement",
    )
    agreed_total = models.BigIntegerField(_("협약 총사업비"))
    approved = models.BigIntegerField(_("인정 집행액"))
    disallowed = models.BigIntegerField(_("불인정 집행액"))
    eligible = models.BigIntegerField(_("정산 대상액"))
    government = models.BigIntegerField(_("정부 정산액"))
    sponsor = models.BigIntegerField(_("주관기관 정산액"))
    sme = models.BigIntegerField(_("기업 정산액"))
    paid_government = models.BigIntegerField(_("정부 기지급액"))
    paid_sponsor = models.BigIntegerField(_("주관기관 기지급액"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("확정자"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("확정일시"))

    class Meta:
        verbose_name = _("정산")
        verbose_name_plural = _("정산")
        constraints = [
            FieldCheckConstraint(
                condition=models.lookups.Exact(F("government") + F("sponsor") + F("sme"), F("eligible")),
                name="settlement_shares_sum_to_eligible",
                field="eligible",
                violation_error_message=_("정산 분담액의 합은 정산 대상액과 같아야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(government__gte=0) & Q(sponsor__gte=0) & Q(sme__gte=0) & Q(eligible__gte=0),
                name="settlement_shares_non_negative",
                field="eligible",
                violation_error_message=_("정산액은 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.application_id} {self.eligible:,}원"


class Clawback(models.Model):
    """환수 (SPEC §18.4): money paid out that the SME owes back, per pot; collected in instalments
    (each appended to the ledger as `recovery`) or closed as uncollectable with a note."""

    class Reason(models.TextChoices):
        FALSE_EVIDENCE = "false_evidence", _("허위 증빙")
        COLLUSION = "collusion", _("공급기업 공모")
        ABANDONMENT = "abandonment", _("사업 포기·협약해지")
        NON_USE = "non_use", _("목적 외 사용·미사용")
        SETTLEMENT = "settlement", _("정산 환수")

    class Status(models.TextChoices):
        OPEN = "open", _("환수 중")
        COLLECTED = "collected", _("환수 완료")
        UNCOLLECTABLE = "uncollectable", _("환수 불능")

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="clawbacks",
    )
    reason = models.CharField(_("환수 사유"), max_length=16, choices=Reason.choices)
    government = models.BigIntegerField(_("정부 재원 환수액"))
    sponsor = models.BigIntegerField(_("주관기관 재원 환수액"))
    collected_government = models.BigIntegerField(_("정부 재원 회수액"), default=0)
    collected_sponsor = models.BigIntegerField(_("주관기관 재원 회수액"), default=0)
    due_on = models.DateField(_("납부기한"), validators=[validate_plausible_date])
    ban = models.BooleanField(_("참여제한 함께 처분"), default=False)
    status = models.CharField(_("상태"), max_length=14, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("비고"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("종결일시"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("환수")
        verbose_name_plural = _("환수")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="clawback_status_due_idx"),
            models.Index(fields=["application", "status"], name="clawback_application_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(government__gte=0) & Q(sponsor__gte=0) & (Q(government__gt=0) | Q(sponsor__gt=0)),
                name="clawback_amount_positive",
                field="government",
                violation_error_message=_("환수액은 재원별 0원 이상, 합계 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(collected_government__gte=0)
                & Q(collected_sponsor__gte=0)
                & Q(collected_government__lte=F("government"))
                & Q(collected_sponsor__lte=F("sponsor")),
                name="clawback_collected_within_amount",
                field="collected_government",
                violation_error_message=_("회수액은 환수액을 넘을 수 없습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(
                    reason__in=["false_evidence", "collusion", "abandonment", "non_use", "settlement"]
                ),
                name="clawback_reason_known",
                field="reason",
                violation_error_message=_("알 수 없는 환수 사유입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.amount:,}원"

    @property
    def amount(self) -> int:
        return self.government + self.sponsor

    @property
    def collected(self) -> int:
        return self.collected_government + self.collected_sponsor

    @property
    def remaining(self) -> int:
        return self.amount - self.collected


class ClawbackCollection(models.Model):
    """One instalment collected on a clawback, split pro rata between the pots like a payment and
    appended to the ledger as `recovery` (SPEC §18.4)."""

    clawback = models.ForeignKey(
        Clawback, verbose_name=_("환수"), on_delete=models.PROTECT, related_name="collections"
    )
    amount = models.BigIntegerField(_("회수액(원)"))
    gov_part = models.BigIntegerField(_("정부 재원 회수액"))
    sponsor_part = models.BigIntegerField(_("주관기관 재원 회수액"))
    collected_on = models.DateField(_("회수일"), validators=[validate_plausible_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("기록자"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("기록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("환수금 회수")
        verbose_name_plural = _("환수금 회수")
        ordering = ["collected_on", "id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gt=0) & Q(gov_part__gte=0) & Q(sponsor_part__gte=0),
                name="collection_amount_positive",
                field="amount",
                violation_error_message=_("회수액은 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=models.lookups.Exact(F("gov_part") + F("sponsor_part"), F("amount")),
                name="collection_parts_sum_to_amount",
                field="amount",
                violation_error_message=_("재원별 회수액의 합은 회수액과 같아야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.collected_on} {self.amount:,}원"
