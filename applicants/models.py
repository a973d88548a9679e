from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applicants.validators import validate_ksic_manufacturing
from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from program.business_number import (
    format_business_number,
    ten_digits_constraint,
    validate_business_number,
)
from program.choices import DocumentKind, FactoryLevel, Region, SupportLevel
from program.cost_share import MAX_TOTAL
from program.validators import validate_solution_areas


class Company(models.Model):
    """도입기업: the SME that applies for a smart factory."""

    business_number = models.CharField(
        _("사업자등록번호"), max_length=10, unique=True, validators=[validate_business_number]
    )
    name = models.CharField(_("기업명"), max_length=100)
    representative = models.CharField(_("대표자"), max_length=50)
    region = models.CharField(_("지역"), max_length=4, choices=Region.choices)
    industry_code = models.CharField(
        _("업종코드(KSIC)"), max_length=5, validators=[validate_ksic_manufacturing]
    )
    employees = models.PositiveIntegerField(_("상시근로자 수"))
    annual_revenue = models.BigIntegerField(_("연매출액(원)"), validators=[MinValueValidator(0)])
    founded_on = models.DateField(_("설립일"))
    current_level = models.CharField(
        _("스마트공장 수준"), max_length=16, choices=FactoryLevel.choices, default=FactoryLevel.NONE
    )
    is_sponsor_partner = models.BooleanField(_("주관기관 협력사 여부"), default=False)
    partner_of = models.ForeignKey(
        "program.Sponsor",
        verbose_name=_("협력 주관기관"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_companies",
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("도입기업")
        verbose_name_plural = _("도입기업")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["region"], name="company_region_idx"),
            models.Index(fields=["industry_code"], name="company_industry_idx"),
            models.Index(fields=["name"], name="company_name_idx"),
        ]
        constraints = [
            ten_digits_constraint("company_business_number_10_digits"),
            FieldCheckConstraint(
                condition=Q(annual_revenue__gte=0),
                name="company_revenue_non_negative",
                field="annual_revenue",
                violation_error_message=_("연매출액은 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(employees__gte=0),
                name="company_employees_non_negative",
                field="employees",
                violation_error_message=_("상시근로자 수는 0명 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def business_number_display(self) -> str:
        return format_business_number(self.business_number)


class Supplier(models.Model):
    """공급기업: the solution vendor that builds the smart factory."""

    name = models.CharField(_("기업명"), max_length=100)
    business_number = models.CharField(
        _("사업자등록번호"), max_length=10, unique=True, validators=[validate_business_number]
    )
    solution_areas = models.JSONField(
        _("솔루션 분야"), default=list, blank=True, validators=[validate_solution_areas]
    )
    region = models.CharField(_("지역"), max_length=4, choices=Region.choices)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("공급기업")
        verbose_name_plural = _("공급기업")
        ordering = ["name"]
        constraints = [ten_digits_constraint("supplier_business_number_10_digits")]

    def __str__(self):
        return self.name


class Application(models.Model):
    """신청서: one company's application to one program (docs/domain.md §2, workflow §4)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성중")
        SUBMITTED = "submitted", _("접수")
        SCREENING = "screening", _("요건검토")
        CHANGES_REQUESTED = "changes_requested", _("보완요청")
        EVALUATION = "evaluation", _("선정평가")
        SELECTED = "selected", _("선정")
        REJECTED = "rejected", _("탈락")
        AGREEMENT = "agreement", _("협약")
        BUILDING = "building", _("구축")
        COMPLETION_REVIEW = "completion_review", _("완료점검")
        COMPLETED = "completed", _("완료")
        WITHDRAWN = "withdrawn", _("포기")
        TERMINATED = "terminated", _("협약해지")

    # Applications in these states no longer count against "one live application per program".
    ENDED = (Status.REJECTED, Status.WITHDRAWN, Status.COMPLETED, Status.TERMINATED)
    # About ten A4 pages: the plan is read by staff and every evaluator, and shown whole on their pages.
    PLAN_MAX_LENGTH = 20_000

    program = models.ForeignKey(
        "program.Program", verbose_name=_("사업"), on_delete=models.PROTECT, related_name="applications"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("도입기업"), on_delete=models.PROTECT, related_name="applications"
    )
    level = models.CharField(_("지원 수준"), max_length=10, choices=SupportLevel.choices)
    title = models.CharField(_("과제명"), max_length=200)
    plan = models.TextField(
        _("사업계획"),
        blank=True,
        max_length=PLAN_MAX_LENGTH,
        validators=[MaxLengthValidator(PLAN_MAX_LENGTH)],
    )
    total_cost = models.BigIntegerField(
        _("총사업비(원, VAT 별도)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOTAL)],
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("공급기업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    wants_mentoring = models.BooleanField(_("멘토링 희망"), default=False)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    score = models.DecimalField(_("평가점수"), max_digits=5, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_created",
    )
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)
    submitted_at = models.DateTimeField(_("제출일시"), null=True, blank=True)
    decided_at = models.DateTimeField(_("선정/탈락 일시"), null=True, blank=True)
    # Set by 보완요청 (default 14 days on), cleared when the applicant resubmits (docs/domain.md §4).
    changes_due_on = models.DateField(_("보완 기한"), null=True, blank=True)

    class Meta:
        verbose_name = _("신청서")
        verbose_name_plural = _("신청서")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The staff queue's filters and sort keys (docs/domain.md §10 applications filters/ordering).
            models.Index(fields=["status", "submitted_at"], name="application_status_sub_idx"),
            # The ranking's sort, and covering for the sponsor dashboard's groupings (index-only scans).
            models.Index(
                fields=["program", "status", "score", "company", "level", "id"],
                name="application_prog_cover_idx",
            ),
            models.Index(fields=["level", "status"], name="application_level_idx"),
            models.Index(fields=["submitted_at"], name="application_submitted_idx"),
            models.Index(fields=["score"], name="application_score_idx"),
            models.Index(fields=["total_cost"], name="application_total_cost_idx"),
            # The daily reminder run: change requests due on a day (applicants/services/reminders.py).
            models.Index(fields=["status", "changes_due_on"], name="application_due_idx"),
        ]
        constraints = [
            FieldUniqueConstraint(
                fields=["company", "program"],
                condition=~Q(status__in=["rejected", "withdrawn", "completed"]),
                name="application_one_live_per_company_program",
                field="program",
                violation_error_message=_("이 사업에 진행 중인 신청서가 이미 있습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "screening",
                        "changes_requested",
                        "evaluation",
                        "selected",
                        "rejected",
                        "agreement",
                        "building",
                        "completion_review",
                        "completed",
                        "withdrawn",
                        "terminated",
                    ]
                ),
                name="application_status_known",
                field="status",
                violation_error_message=_("알 수 없는 상태입니다."),
            ),
            FieldCheckConstraint(
                condition=Q(total_cost__isnull=True) | (Q(total_cost__gte=1) & Q(total_cost__lte=MAX_TOTAL)),
                name="application_total_cost_in_range",
                field="total_cost",
                violation_error_message=_("총사업비는 1원 이상 100억 원 이하여야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=112)),
                name="application_score_in_range",
                field="score",
                violation_error_message=_("평가점수는 0점 이상 112점 이하여야 합니다."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status not in self.ENDED

    @property
    def receipt_number(self) -> str:
        """접수번호 (docs/domain.md §4): `<program year>-<program id, 4 digits>-<application id, 6 digits>`,
        e.g. 2026-0012-000345; "" until first submitted. Built from what never changes, so it needs
        no column and stays the same through 보완요청 and resubmission (submitted_at does not)."""
        if self.submitted_at is None:
            return ""
        return f"{self.program.year}-{self.program_id:04d}-{self.pk:06d}"


def attachment_path(instance, filename):
    # Private storage; the file name on disk never reveals the original name.
    return f"private/applications/{instance.application_id}/{instance.kind}/{filename}"


class Attachment(models.Model):
    """A typed document uploaded with an application; served only to those who may see it."""

    Kind = DocumentKind  # the vocabulary is program's: a program lists the kinds it requires

    MAX_SIZE = 20 * 1024 * 1024
    # Four kinds of document, each one to a few files (three years of statements, several quotes):
    # five per kind and twenty in all leave room for that and stop an application growing without end.
    MAX_PER_KIND = 5
    MAX_PER_APPLICATION = 20
    ALLOWED_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "xlsx", "hwp")

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("서류 종류"), max_length=24, choices=Kind.choices)
    file = models.FileField(_("파일"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("원본 파일명"), max_length=255)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("등록자"), on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("첨부서류")
        verbose_name_plural = _("첨부서류")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=20 * 1024 * 1024),
                name="attachment_size_in_range",
                field="file",
                violation_error_message=_("파일은 비어 있지 않고 20MB 이하여야 합니다."),
            ),
        ]

    def __str__(self):
        return self.original_name


class EvaluatorAssignment(models.Model):
    """An evaluator put on an application's selection committee by staff (docs/domain.md §5)."""

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="evaluator_assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("평가위원"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("배정자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("배정일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("평가위원 배정")
        verbose_name_plural = _("평가위원 배정")
        constraints = [
            FieldUniqueConstraint(
                fields=["application", "evaluator"],
                name="evaluator_assigned_once",
                field="evaluator",
                violation_error_message=_("이미 배정된 평가위원입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} → {self.application}"


class Evaluation(models.Model):
    """One evaluator's conflict declaration and scores for one application."""

    BONUS_STEP = 3
    BONUS_MAX = 12
    COMMENT_MAX_LENGTH = 2_000

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("평가위원"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    conflict_of_interest = models.BooleanField(_("이해충돌"), default=False)
    scores = models.JSONField(_("항목별 점수"), default=dict, blank=True)
    bonus = models.PositiveSmallIntegerField(_("가점"), default=0)
    total = models.PositiveSmallIntegerField(_("총점"), null=True, blank=True)
    comment = models.TextField(
        _("평가의견"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        verbose_name = _("평가")
        verbose_name_plural = _("평가")
        constraints = [
            FieldUniqueConstraint(
                fields=["application", "evaluator"],
                name="evaluation_once_per_evaluator",
                field="evaluator",
                violation_error_message=_("이 평가위원의 평가가 이미 있습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(bonus__in=[0, 3, 6, 9, 12]),
                name="evaluation_bonus_steps",
                field="bonus",
                violation_error_message=_("가점은 0, 3, 6, 9, 12점 중 하나여야 합니다."),
            ),
            # A conflicted evaluator does not score.
            FieldCheckConstraint(
                condition=Q(conflict_of_interest=False) | (Q(total__isnull=True) & Q(bonus=0)),
                name="evaluation_conflict_has_no_score",
                field="conflict_of_interest",
                violation_error_message=_("이해충돌을 신고한 평가에는 점수와 가점을 넣을 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} / {self.application}"


class Message(models.Model):
    """문의·답변: one message in an application's thread (SPEC §19). The SME's people and staff read the
    `applicant` ones; `internal` notes only officials (applicants/permissions.py)."""

    class Visibility(models.TextChoices):
        APPLICANT = "applicant", _("신청기업 공개")
        INTERNAL = "internal", _("내부 메모")

    BODY_MAX_LENGTH = 5_000

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="messages"
    )
    # The author's name is kept with the message: a deactivated or removed account still signs it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("작성자 이름"), max_length=150)
    body = models.TextField(
        _("내용"), max_length=BODY_MAX_LENGTH, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )
    visibility = models.CharField(
        _("공개 범위"), max_length=10, choices=Visibility.choices, default=Visibility.APPLICANT
    )
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("메시지")
        verbose_name_plural = _("메시지")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="message_app_created_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(visibility__in=["applicant", "internal"]),
                name="message_visibility_known",
                field="visibility",
                violation_error_message=_("알 수 없는 공개 범위입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == self.Visibility.INTERNAL


def message_attachment_path(instance, filename):
    # Private storage, like the application's documents; the name on disk never reveals the original.
    return f"private/messages/{instance.message.application_id}/{filename}"


class MessageAttachment(models.Model):
    """A file sent with a message, checked like the application's documents (applicants/uploads.py)."""

    MAX_PER_MESSAGE = 1

    message = models.ForeignKey(
        Message, verbose_name=_("메시지"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("파일"), upload_to=message_attachment_path, max_length=300)
    original_name = models.CharField(_("원본 파일명"), max_length=255)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기(바이트)"))

    class Meta:
        verbose_name = _("메시지 첨부파일")
        verbose_name_plural = _("메시지 첨부파일")
        ordering = ["id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=20 * 1024 * 1024),
                name="message_attachment_size_in_range",
                field="file",
                violation_error_message=_("파일은 비어 있지 않고 20MB 이하여야 합니다."),
            ),
        ]

    def __str__(self):
        return self.original_name


class ReminderSent(models.Model):
    """One reminder sent: at most one per object, kind and day, which the database enforces, so two
    beats at once or a re-run never remind twice (applicants/services/reminders.py).

    `kind` names the source and the step ("changes_requested.due_in_3_days"); `object_id` is the id of
    the object that source reminds of, so later sources (agreements, clawbacks) add a kind, not a table.
    """

    KIND_MAX_LENGTH = 64

    kind = models.CharField(_("알림 종류"), max_length=KIND_MAX_LENGTH)
    object_id = models.BigIntegerField(_("대상 번호"))
    day = models.DateField(_("발송일"))
    sent_at = models.DateTimeField(_("발송일시"))

    class Meta:
        verbose_name = _("기한 알림 발송")
        verbose_name_plural = _("기한 알림 발송")
        constraints = [
            FieldUniqueConstraint(
                fields=["kind", "object_id", "day"],
                name="reminder_once_per_day",
                field="day",
                violation_error_message=_("이 알림은 오늘 이미 보냈습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} {self.day}"


class ParticipationBan(models.Model):
    """참여제한 (SPEC §15.2): a company or a supplier barred from the programs for a period — 3 years by
    default, permanent (`ends_on` null) on a second strike. A shared register: every agency's staff
    see it. A ban is never deleted; lifting it early keeps the row with who, when and why."""

    class SubjectType(models.TextChoices):
        COMPANY = "company", _("신청기업")
        SUPPLIER = "supplier", _("공급기업")

    subject_type = models.CharField(_("대상 구분"), max_length=8, choices=SubjectType.choices)
    business_number = models.CharField(
        _("사업자등록번호"), max_length=10, validators=[validate_business_number]
    )
    reason = models.CharField(_("제한 사유"), max_length=500)
    basis = models.CharField(_("근거"), max_length=200, blank=True)
    starts_on = models.DateField(_("제한 시작일"))
    ends_on = models.DateField(_("제한 종료일"), null=True, blank=True, help_text=_("비워 두면 영구 제한"))
    second_strike = models.BooleanField(_("재위반(영구 제한)"), default=False)
    # The clawback that recorded it (SPEC §18.4 `ban: true`), by id: execution sits above this app.
    clawback_id = models.BigIntegerField(_("환수 번호"), null=True, blank=True)
    lifted_on = models.DateField(_("해제일"), null=True, blank=True)
    lift_note = models.CharField(_("해제 사유"), max_length=500, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("해제자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
        verbose_name = _("참여제한")
        verbose_name_plural = _("참여제한")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "business_number", "starts_on"], name="ban_subject_idx"),
        ]
        constraints = [
            ten_digits_constraint("ban_business_number_10_digits"),
            FieldCheckConstraint(
                condition=Q(subject_type__in=["company", "supplier"]),
                name="ban_subject_type_known",
                field="subject_type",
                violation_error_message=_("대상 구분은 신청기업 또는 공급기업입니다."),
            ),
            FieldCheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="ban_ends_after_start",
                field="ends_on",
                violation_error_message=_("제한 종료일은 시작일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        until = self.ends_on or ""
        return f"{self.get_subject_type_display()} {self.business_number} ({self.starts_on}~{until})"


class SubmissionDeclaration(models.Model):
    """제출 확인 (SPEC §15.1): the four declarations the applicant makes at each submit, with who and when.
    A resubmission after 보완요청 adds another row; the newest is the one in force."""

    # The names of the four, in the order the form shows them.
    FIELDS = ("not_closed", "no_tax_arrears", "not_insolvent", "info_true")

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="declarations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("확인자"), on_delete=models.PROTECT, related_name="+"
    )
    not_closed = models.BooleanField(_("휴·폐업 중이 아님"))
    no_tax_arrears = models.BooleanField(_("국세·지방세 체납 없음"))
    not_insolvent = models.BooleanField(_("파산·회생 절차 중이 아님"))
    info_true = models.BooleanField(_("신청 내용이 사실임"))
    created_at = models.DateTimeField(_("확인일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("제출 확인")
        verbose_name_plural = _("제출 확인")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["application", "-created_at"], name="declaration_latest_idx")]

    def __str__(self):
        return f"{self.application_id} {self.created_at:%Y-%m-%d %H:%M}"


class SupportRecord(models.Model):
    """지원 이력: a past support record imported from another system's export (SPEC §15.4, §15.5)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("가져오기")

    business_number = models.CharField(
        _("사업자등록번호"), max_length=10, validators=[validate_business_number]
    )
    company_name = models.CharField(_("기업명"), max_length=100)
    program_name = models.CharField(_("사업명"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("연도"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("지원 수준"), max_length=10, choices=SupportLevel.choices)
    government = models.BigIntegerField(_("정부지원금(원)"), validators=[MinValueValidator(0)])
    status = models.CharField(_("상태"), max_length=20, choices=Application.Status.choices)
    source = models.CharField(_("출처"), max_length=8, choices=Source.choices, default=Source.IMPORT)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("지원 이력")
        verbose_name_plural = _("지원 이력")
        ordering = ["-year", "-id"]
        indexes = [
            # The repeat-level check and the company's history (SPEC §15.3, §15.4).
            models.Index(fields=["business_number", "status", "level"], name="support_record_repeat_idx"),
        ]
        constraints = [
            ten_digits_constraint("support_record_business_number_10_digits"),
            FieldUniqueConstraint(
                fields=["business_number", "program_name", "year"],
                name="support_record_natural_key",
                field="program_name",
                violation_error_message=_("같은 기업·사업·연도의 지원 이력이 이미 있습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(government__gte=0),
                name="support_record_government_non_negative",
                field="government",
                violation_error_message=_("정부지원금은 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(level__in=["basic", "advanced1", "advanced2"]),
                name="support_record_level_known",
                field="level",
                violation_error_message=_("알 수 없는 지원 수준입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.business_number} {self.program_name} ({self.year})"
