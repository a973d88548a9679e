from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from program.business_number import ten_digits_constraint, validate_business_number
from program.choices import APPLICATION_DOCUMENT_KINDS
from program.cost_share import CostSharePolicy
from program.validators import (
    validate_document_kinds,
    validate_gov_cap,
    validate_program_policy,
    validate_rubric,
)

DEFAULT_RUBRIC: list[dict[str, Any]] = [
    {"key": "plan", "label": "사업계획 적정성", "max_points": 30},
    {"key": "capability", "label": "추진역량", "max_points": 25},
    {"key": "impact", "label": "기대효과", "max_points": 30},
    {"key": "partnership", "label": "상생협력", "max_points": 15},
]


# A 공고 is a few pages of text, not a book.
ANNOUNCEMENT_MAX_LENGTH = 30_000


def default_rubric():
    return [dict(item) for item in DEFAULT_RUBRIC]


def default_required_documents():
    """All four kinds of document (docs/domain.md §10)."""
    return [kind.value for kind in APPLICATION_DOCUMENT_KINDS]


class Sponsor(models.Model):
    """주관기관: the large company (or public body) that pays into a program's fund."""

    class Kind(models.TextChoices):
        LARGE = "large", _("대기업")
        MIDSIZE = "midsize", _("중견기업")
        PUBLIC = "public", _("공공기관")

    name = models.CharField(_("기관명"), max_length=100, unique=True)
    business_number = models.CharField(
        _("사업자등록번호"), max_length=10, unique=True, validators=[validate_business_number]
    )
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices, default=Kind.LARGE)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("주관기관")
        verbose_name_plural = _("주관기관")
        ordering = ["name"]
        constraints = [ten_digits_constraint("sponsor_business_number_10_digits")]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """협업기관: the executing agency whose staff run a program."""

    name = models.CharField(_("기관명"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("협업기관")
        verbose_name_plural = _("협업기관")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Program(models.Model):
    """One sponsor's 상생형 program for one year, with its cost-share policy (docs/domain.md §3.1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("준비")
        OPEN = "open", _("모집중")
        CLOSED = "closed", _("마감")
        ARCHIVED = "archived", _("종료")

    class CapExcessTo(models.TextChoices):
        SME = "sme", _("도입기업")
        SPONSOR = "sponsor", _("주관기관")

    title = models.CharField(_("사업명"), max_length=200)
    year = models.PositiveSmallIntegerField(_("연도"))
    sponsor = models.ForeignKey(
        Sponsor, verbose_name=_("주관기관"), on_delete=models.PROTECT, related_name="programs"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("협업기관"), on_delete=models.PROTECT, related_name="programs"
    )
    track = models.CharField(_("유형"), max_length=50, blank=True)
    description = models.TextField(
        _("사업 안내"), blank=True, max_length=20_000, validators=[MaxLengthValidator(20_000)]
    )
    # The public 공고 page (SPEC §19): Markdown written by staff, shown rendered with raw HTML escaped.
    announcement = models.TextField(
        _("공고 본문"),
        blank=True,
        max_length=ANNOUNCEMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(ANNOUNCEMENT_MAX_LENGTH)],
        help_text=_("마크다운으로 작성합니다. HTML은 그대로 글자로 보입니다."),
    )
    eligibility = models.TextField(
        _("지원 대상"), blank=True, max_length=5_000, validators=[MaxLengthValidator(5_000)]
    )
    contact = models.TextField(
        _("문의처"),
        blank=True,
        max_length=1_000,
        validators=[MaxLengthValidator(1_000)],
        help_text=_("담당 부서, 전화, 이메일"),
    )

    gov_ratio = models.PositiveSmallIntegerField(_("정부 부담 비율(%)"), default=30)
    sponsor_ratio = models.PositiveSmallIntegerField(_("주관기관 부담 비율(%)"), default=30)
    sme_ratio = models.PositiveSmallIntegerField(_("도입기업 부담 비율(%)"), default=40)
    # Government maximum per application for each support level; empty means no cap.
    gov_cap_basic = models.BigIntegerField(
        _("정부지원 한도(기초)"), null=True, blank=True, validators=[validate_gov_cap]
    )
    gov_cap_advanced1 = models.BigIntegerField(
        _("정부지원 한도(고도화1)"), null=True, blank=True, validators=[validate_gov_cap]
    )
    gov_cap_advanced2 = models.BigIntegerField(
        _("정부지원 한도(고도화2)"), null=True, blank=True, validators=[validate_gov_cap]
    )
    rounding_unit = models.PositiveIntegerField(
        _("절사 단위(원)"), default=1000, validators=[MinValueValidator(1)]
    )
    cap_excess_to = models.CharField(
        _("한도 초과분 부담"), max_length=8, choices=CapExcessTo.choices, default=CapExcessTo.SME
    )
    gov_budget = models.BigIntegerField(_("정부 매칭 예산(원)"), default=0, validators=[MinValueValidator(0)])
    # SPEC §15.3: the government maximum for a company that already completed a project at the same
    # or a higher support level (동일 수준 재지원), on top of the level's cap.
    repeat_gov_cap = models.BigIntegerField(
        _("동일 수준 재지원 정부지원 한도(원)"), default=50_000_000, validators=[MinValueValidator(0)]
    )

    rubric = models.JSONField(_("평가 기준"), default=default_rubric, validators=[validate_rubric])
    required_documents = models.JSONField(
        _("필수 제출서류"),
        default=default_required_documents,
        blank=True,
        validators=[validate_document_kinds],
        help_text=_("제출 전에 올려야 하는 서류 종류"),
    )
    opens_on = models.DateField(_("접수 시작일"))
    closes_on = models.DateField(_("접수 마감일"))
    # The agreement's build period and how far changes may extend it in total (SPEC §16).
    build_months = models.PositiveSmallIntegerField(
        _("구축 기간(개월)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    max_extension_months = models.PositiveSmallIntegerField(
        _("최대 연장 기간(개월)"), default=3, validators=[MaxValueValidator(12)]
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        verbose_name = _("사업")
        verbose_name_plural = _("사업")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["status", "closes_on"], name="program_status_closes_idx")]
        constraints = [
            FieldUniqueConstraint(
                fields=["sponsor", "year", "title"],
                name="program_unique_title_per_year",
                field="title",
                violation_error_message=_("이 주관기관의 같은 연도에 같은 이름의 사업이 이미 있습니다."),
            ),
            FieldCheckConstraint(
                condition=Q(gov_ratio__lte=100) & Q(sponsor_ratio__lte=100) & Q(sme_ratio__lte=100),
                name="program_ratios_at_most_100",
                field="gov_ratio",
                violation_error_message=_("분담 비율은 각각 0에서 100 사이여야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(gov_ratio__gte=0) & Q(sponsor_ratio__gte=0) & Q(sme_ratio__gte=0),
                name="program_ratios_non_negative",
                field="gov_ratio",
                violation_error_message=_("분담 비율은 각각 0에서 100 사이여야 합니다."),
            ),
            FieldCheckConstraint(
                condition=models.lookups.Exact(F("gov_ratio") + F("sponsor_ratio") + F("sme_ratio"), 100),
                name="program_ratios_sum_100",
                field="gov_ratio",
                violation_error_message=_("분담 비율(정부·주관기관·기업)의 합은 100이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=(Q(gov_cap_basic__isnull=True) | Q(gov_cap_basic__gte=0))
                & (Q(gov_cap_advanced1__isnull=True) | Q(gov_cap_advanced1__gte=0))
                & (Q(gov_cap_advanced2__isnull=True) | Q(gov_cap_advanced2__gte=0)),
                name="program_gov_caps_non_negative",
                field="gov_cap_basic",
                violation_error_message=_("정부지원 한도는 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(repeat_gov_cap__gte=0),
                name="program_repeat_gov_cap_non_negative",
                field="repeat_gov_cap",
                violation_error_message=_("동일 수준 재지원 한도는 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(rounding_unit__gte=1),
                name="program_rounding_unit_positive",
                field="rounding_unit",
                violation_error_message=_("절사 단위는 1원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(gov_budget__gte=0),
                name="program_gov_budget_non_negative",
                field="gov_budget",
                violation_error_message=_("정부 매칭 예산은 0원 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="program_window_ordered",
                field="closes_on",
                violation_error_message=_("접수 마감일은 시작일보다 빠를 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        validate_program_policy(
            gov_ratio=self.gov_ratio,
            sponsor_ratio=self.sponsor_ratio,
            sme_ratio=self.sme_ratio,
            opens_on=self.opens_on,
            closes_on=self.closes_on,
        )

    @property
    def gov_caps(self) -> dict[str, int | None]:
        return {
            "basic": self.gov_cap_basic,
            "advanced1": self.gov_cap_advanced1,
            "advanced2": self.gov_cap_advanced2,
        }

    def cost_share_policy(self) -> CostSharePolicy:
        return CostSharePolicy(
            gov_ratio=self.gov_ratio,
            sponsor_ratio=self.sponsor_ratio,
            sme_ratio=self.sme_ratio,
            gov_caps=self.gov_caps,
            rounding_unit=self.rounding_unit,
            cap_excess_to=self.cap_excess_to,
            repeat_gov_cap=self.repeat_gov_cap,
        )


class AuditEvent(models.Model):
    """Who did what to which object, before → after: every status change and money movement."""

    # A transition's reason (보완요청, 탈락…) is a paragraph, not a document.
    NOTE_MAX_LENGTH = 2_000

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수행자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    created_at = models.DateTimeField(_("일시"), auto_now_add=True)
    action = models.CharField(_("행위"), max_length=50)
    content_type = models.ForeignKey(ContentType, verbose_name=_("대상 종류"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("대상 ID"))
    target = GenericForeignKey("content_type", "object_id")
    before = models.JSONField(_("변경 전"), default=dict, blank=True)
    after = models.JSONField(_("변경 후"), default=dict, blank=True)
    note = models.TextField(
        _("메모"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    # The agency whose data the event is about (docs/domain.md §1), set by audit_event_record from its target;
    # none for the shared registers (sponsors, companies, suppliers, mentors, users), which every
    # official reads. Indexed with the time below, not alone.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("협업기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_target_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
            models.Index(fields=["agency", "created_at"], name="audit_agency_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.content_type.model}#{self.object_id}"


class OutgoingEmail(models.Model):
    """Outbox: one e-mail to one address, kept until it is sent (program/outbox.py).

    Written in the transaction of the change it tells of, so a change that rolls back sends nothing;
    sent by the `program.email_send` task, retried on an SMTP failure, sent again by the sweeper when
    the broker lost its task. One row per recipient: one bad address neither holds up nor resends the
    others' mail.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("발송 대기")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")

    ERROR_MAX_LENGTH = 2_000

    to = models.EmailField(_("받는 주소"))
    subject = models.TextField(_("제목"))
    body = models.TextField(_("본문"))
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("발송 시도 횟수"), default=0)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    created_at = models.DateTimeField(_("생성일시"), default=timezone.now)
    # When the next try is due: the task's own retry, else the sweeper's (program.outbox.SWEEP_GRACE later).
    next_attempt_at = models.DateTimeField(_("다음 시도 일시"), default=timezone.now)
    # Set by the delivery that claimed the row (a conditional UPDATE): a second delivery of the same
    # task leaves a freshly claimed row alone; a claim older than program.outbox.CLAIM_LEASE is a dead one.
    claimed_at = models.DateTimeField(_("발송 시작 일시"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("발송 메일")
        verbose_name_plural = _("발송 메일")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's question (pending, due before …) and the admin's status filter.
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="outgoing_email_sent_at_iff_sent",
                field="sent_at",
                violation_error_message=_("발송 일시는 발송 완료된 메일에만 있습니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Notification(models.Model):
    """One in-app notice to one user (the inbox, `/inbox/`): written by program.notifications.notify in
    the transaction of the event it tells of, so an event that rolls back leaves no notice."""

    TITLE_MAX_LENGTH = 200
    BODY_MAX_LENGTH = 4_000
    URL_MAX_LENGTH = 500

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("받는 사람"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the inbox index below starts with the user
    )
    # A short slug: "application.status", "message", "reminder", … (the event's kind, for filters and dedupe).
    kind = models.CharField(_("종류"), max_length=50, blank=True)
    title = models.CharField(_("제목"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(
        _("내용"), blank=True, max_length=BODY_MAX_LENGTH, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )
    # The object's page for this user (a relative path): staff and the SME see one object on different pages.
    url = models.CharField(_("링크"), max_length=URL_MAX_LENGTH, blank=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("대상 종류"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed with the id below
    )
    target_id = models.PositiveBigIntegerField(_("대상 ID"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("생성일시"), default=timezone.now)
    read_at = models.DateTimeField(_("읽은 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        indexes = [
            # The inbox (own, unread first, newest first, a page at a time) and the header's unread
            # count read this one index in its order: no sort, however many notices a user has.
            models.Index(
                F("user"),
                models.lookups.IsNull(F("read_at"), True).desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="notification_inbox_idx",
            ),
            # Reminders' "already told today?" and "mark read when its object is opened".
            models.Index(fields=["target_type", "target_id", "kind"], name="notification_target_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(target_type__isnull=True, target_id__isnull=True)
                | Q(target_type__isnull=False, target_id__isnull=False),
                name="notification_target_whole",
                field="target_id",
                violation_error_message=_("알림 대상은 종류와 ID가 함께 있어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


# ---- Announcements (공고, SPEC §19): the FAQ and files of a program's public page (program/announcements.py)


class ProgramFaq(models.Model):
    """One question and its answer on a program's 공고 page."""

    QUESTION_MAX_LENGTH = 300
    ANSWER_MAX_LENGTH = 3_000

    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.CASCADE, related_name="faqs"
    )
    question = models.CharField(_("질문"), max_length=QUESTION_MAX_LENGTH)
    answer = models.TextField(
        _("답변"), max_length=ANSWER_MAX_LENGTH, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)]
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("자주 묻는 질문")
        verbose_name_plural = _("자주 묻는 질문")
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.question


def program_file_path(instance, filename):
    # Stored under a name that never reveals the original one (the download gives it back).
    return f"programs/{instance.program_id}/{instance.kind}/{filename}"


class ProgramFile(models.Model):
    """A file attached to a program's 공고: the 공고문 itself, a 양식 to fill in, or another."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("공고문")
        FORM = "form", _("양식")
        OTHER = "other", _("기타")

    MAX_SIZE = 20 * 1024 * 1024
    MAX_PER_PROGRAM = 20
    ALLOWED_EXTENSIONS = ("pdf", "hwp", "xlsx")

    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("종류"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("제목"), max_length=200)
    file = models.FileField(_("파일"), upload_to=program_file_path, max_length=300)
    original_name = models.CharField(_("원본 파일명"), max_length=255)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("등록자"), on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("공고 첨부파일")
        verbose_name_plural = _("공고 첨부파일")
        ordering = ["program", "kind", "id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=20 * 1024 * 1024),
                name="program_file_size_in_range",
                field="file",
                violation_error_message=_("파일은 비어 있지 않고 20MB 이하여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
