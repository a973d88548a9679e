from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint, FieldUniqueConstraint


class Mentor(models.Model):
    """An industry expert (스마트 마이스터, sponsor staff) who coaches selected SMEs (docs/domain.md §7)."""

    DEFAULT_CAPACITY = 2

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentor_profile",
    )
    name = models.CharField(_("이름"), max_length=50)
    # Affiliation: a sponsor, a supplier, or independent (both empty).
    sponsor = models.ForeignKey(
        "program.Sponsor",
        verbose_name=_("소속 주관기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentors",
    )
    supplier = models.ForeignKey(
        "applicants.Supplier",
        verbose_name=_("소속 공급기업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentors",
    )
    affiliation = models.CharField(_("소속"), max_length=100, blank=True)
    expertise = models.JSONField(_("전문분야"), default=list, blank=True)
    ksic_divisions = models.JSONField(_("전문 업종(KSIC 중분류)"), default=list, blank=True)
    regions = models.JSONField(_("활동 지역"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("동시 배정 한도"), default=DEFAULT_CAPACITY)
    is_active = models.BooleanField(_("활동중"), default=True)
    bio = models.TextField(_("경력"), blank=True, max_length=2_000, validators=[MaxLengthValidator(2_000)])
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("멘토")
        verbose_name_plural = _("멘토")
        ordering = ["name"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(capacity__gte=1),
                name="mentor_capacity_positive",
                field="capacity",
                violation_error_message=_("동시 배정 한도는 1건 이상이어야 합니다."),
            ),
            FieldCheckConstraint(
                condition=Q(sponsor__isnull=True) | Q(supplier__isnull=True),
                name="mentor_one_affiliation",
                field="supplier",
                violation_error_message=_("소속은 주관기관과 공급기업 중 하나만 고를 수 있습니다."),
            ),
        ]

    def __str__(self):
        return self.name


class MentoringAssignment(models.Model):
    """A mentor assigned to a selected application for 4 weeks to 6 months."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("진행중")
        ENDED = "ended", _("종료")
        CANCELLED = "cancelled", _("취소")

    mentor = models.ForeignKey(
        Mentor, verbose_name=_("멘토"), on_delete=models.PROTECT, related_name="assignments"
    )
    application = models.ForeignKey(
        "applicants.Application",
        verbose_name=_("신청서"),
        on_delete=models.PROTECT,
        related_name="mentoring_assignments",
    )
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("배정자"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("배정일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("멘토링 배정")
        verbose_name_plural = _("멘토링 배정")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["mentor", "status"], name="assignment_mentor_status_idx"),
            models.Index(fields=["status", "ends_on"], name="assignment_status_ends_idx"),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="assignment_ends_after_start",
                field="ends_on",
                violation_error_message=_("종료일은 시작일보다 뒤여야 합니다."),
            ),
            FieldUniqueConstraint(
                fields=["mentor", "application"],
                condition=Q(status="active"),
                name="assignment_one_active_per_mentor_application",
                field="mentor",
                violation_error_message=_("이 멘토는 이미 이 신청서에 배정되어 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.application}"


class MentoringSession(models.Model):
    """One logged visit or online session of an assignment."""

    class Mode(models.TextChoices):
        VISIT = "visit", _("방문")
        ONLINE = "online", _("온라인")

    NOTES_MAX_LENGTH = 4_000

    assignment = models.ForeignKey(
        MentoringAssignment, verbose_name=_("멘토링 배정"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(_("일자"))
    hours = models.DecimalField(_("시간"), max_digits=3, decimal_places=1)
    mode = models.CharField(_("방식"), max_length=8, choices=Mode.choices, default=Mode.VISIT)
    notes = models.TextField(
        _("내용"), blank=True, max_length=NOTES_MAX_LENGTH, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("작성자"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("멘토링 일지")
        verbose_name_plural = _("멘토링 일지")
        ordering = ["-held_on", "-id"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(hours__gte=0.5) & Q(hours__lte=12),
                name="session_hours_in_range",
                field="hours",
                violation_error_message=_("멘토링 시간은 0.5시간 단위로 0.5~12시간이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.assignment} {self.held_on}"
