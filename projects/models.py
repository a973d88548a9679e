"""After selection (SPEC §16, §17): the agreement (협약) with its signatures and changes, and the
completion inspection (완료점검). The money of a funded project stays in funds; this app moves it
only through funds' services."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint


def agreement_document_path(instance, filename):
    # Private storage, like the application's documents; one file per sending.
    return f"private/agreements/{instance.application_id}/{filename}"


class Agreement(models.Model):
    """협약: drafted by staff after selection, sent as a PDF whose SHA-256 is kept, signed by the SME's
    owner and countersigned by staff, which performs the `sign_agreement` transition (SPEC §16)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성중")
        SENT = "sent", _("서명 요청")
        SIGNED_BY_SME = "signed_by_sme", _("기업 서명")
        COUNTERSIGNED = "countersigned", _("체결")

    application = models.OneToOneField(
        "applicants.Application", verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="agreement"
    )
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    starts_on = models.DateField(_("협약 시작일"), null=True, blank=True)
    # The end as agreed when signed, and the end now (approved extensions move it, SPEC §16).
    original_ends_on = models.DateField(_("최초 협약 종료일"), null=True, blank=True)
    ends_on = models.DateField(_("협약 종료일"), null=True, blank=True)
    # [{"kpi": <program.choices.Kpi>, "baseline": "<decimal>", "target": "<decimal>"}], at least 3.
    kpi_targets = models.JSONField(_("성과목표"), default=list, blank=True)
    supplier = models.ForeignKey(
        "applicants.Supplier",
        verbose_name=_("공급기업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    document = models.FileField(_("협약서"), upload_to=agreement_document_path, max_length=300, blank=True)
    document_sha256 = models.CharField(_("협약서 SHA-256"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("발송일시"), null=True, blank=True)
    countersigned_at = models.DateTimeField(_("체결일시"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("작성자"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        verbose_name = _("협약")
        verbose_name_plural = _("협약")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "sent_at"], name="agreement_status_sent_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_start",
                field="ends_on",
                violation_error_message=_("협약 종료일은 시작일보다 뒤여야 합니다."),
            ),
        ]

    def __str__(self):
        return str(self.application)


class AgreementSignature(models.Model):
    """One signature on one sent document: who, when, from where, and the hash of what was signed."""

    class Party(models.TextChoices):
        SME = "sme", _("기업")
        AGENCY = "agency", _("전담기관")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("협약"), on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(_("서명 당사자"), max_length=8, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("서명자"), on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("서명일시"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("접속 주소"), null=True, blank=True)
    document_sha256 = models.CharField(_("서명한 문서의 SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("협약 서명")
        verbose_name_plural = _("협약 서명")
        ordering = ["signed_at", "pk"]
        constraints = [
            FieldUniqueConstraint(
                fields=["agreement", "party", "document_sha256"],
                name="agreement_signature_once_per_party",
                field="document_sha256",
                violation_error_message=_("이 협약서에는 이미 서명했습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.get_party_display()}"


class AgreementChange(models.Model):
    """협약변경: asked for by the SME's owner, approved or rejected by staff (SPEC §16)."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("기간 연장")
        SUPPLIER = "supplier", _("공급기업 변경")
        COST = "cost", _("사업비 변경")
        PLAN = "plan", _("사업계획 변경")

    class Status(models.TextChoices):
        PENDING = "pending", _("검토중")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.CASCADE,
        related_name="agreement_changes",
    )
    kind = models.CharField(_("변경 종류"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    cause_on = models.DateField(_("변경 사유 발생일"))
    reason = models.TextField(_("변경 사유"), max_length=4000)
    new_ends_on = models.DateField(_("변경 종료일"), null=True, blank=True)
    new_supplier = models.ForeignKey(
        "applicants.Supplier",
        verbose_name=_("변경 공급기업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_total_cost = models.BigIntegerField(
        _("변경 총사업비(원)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # What it was before approval, kept so the history reads before → after.
    previous = models.JSONField(_("변경 전"), default=dict, blank=True)
    note = models.TextField(_("검토 의견"), max_length=4000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("신청자"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("신청일시"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("처리일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("협약변경")
        verbose_name_plural = _("협약변경")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="change_status_requested_idx")]

    def __str__(self):
        return f"{self.application} · {self.get_kind_display()}"


class Inspection(models.Model):
    """완료점검: staff's check of a finished project against its agreement (SPEC §17)."""

    class Result(models.TextChoices):
        PASS = "pass", _("적합")
        REWORK = "rework", _("보완")
        FAIL = "fail", _("부적합")

    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    installed = models.BooleanField(_("설치 확인"))
    operating = models.BooleanField(_("가동 확인"))
    data_collected = models.BooleanField(_("데이터 수집 확인"))
    # {"<kpi>": true | false}: each KPI target of the agreement met or not.
    kpis = models.JSONField(_("성과목표 달성"), default=dict, blank=True)
    audit_report = models.ForeignKey(
        "applicants.Attachment",
        verbose_name=_("감리 보고서"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.CharField(_("점검 결과"), max_length=8, choices=Result.choices)
    note = models.TextField(_("점검 의견"), max_length=4000, blank=True)
    rework_due = models.DateField(_("보완 기한"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("점검자"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("점검일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("완료점검")
        verbose_name_plural = _("완료점검")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.application} · {self.get_result_display()}"
