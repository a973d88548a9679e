"""가져오기: a spreadsheet of past support records or bans brought in by staff (SPEC §15.5). One row per
upload: the file, kept privately, its dry run's findings, and what confirming it wrote."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_file_path(instance, filename):
    return f"private/imports/{instance.kind}/{filename}"


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        SUPPORT_RECORDS = "support_records", _("지원 이력")
        BANS = "bans", _("참여제한")

    class Status(models.TextChoices):
        CHECKING = "checking", _("검사 중")
        CHECKED = "checked", _("검사 완료")
        IMPORTING = "importing", _("가져오는 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    kind = models.CharField(_("종류"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    file = models.FileField(_("파일"), upload_to=import_file_path, max_length=300)
    original_name = models.CharField(_("원래 파일 이름"), max_length=255)
    size = models.PositiveBigIntegerField(_("크기(바이트)"), default=0)
    # 0-100, written by the task as it reads (checking) and as it writes (importing).
    progress = models.PositiveSmallIntegerField(_("진행률(%)"), default=0)
    rows = models.PositiveIntegerField(_("행 수"), default=0)
    valid = models.PositiveIntegerField(_("유효 행 수"), default=0)
    error_count = models.PositiveIntegerField(_("오류 수"), default=0)
    # [{"row", "column", "message"}] in Korean, in file order: the first ERRORS_KEPT (error_count has all).
    errors = models.JSONField(_("오류"), default=list, blank=True)
    # A whole-file problem (wrong headers, not a spreadsheet, empty, too large): failed, nothing written.
    failure = models.CharField(_("실패 사유"), max_length=500, blank=True)
    created = models.PositiveIntegerField(_("새로 쓴 행"), default=0)
    updated = models.PositiveIntegerField(_("바뀐 행"), default=0)
    unchanged = models.PositiveIntegerField(_("그대로인 행"), default=0)
    agency = models.ForeignKey(
        "program.Agency",
        verbose_name=_("전담기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("올린 사람"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("확정한 사람"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)
    checked_at = models.DateTimeField(_("검사 완료 일시"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("확정 일시"), null=True, blank=True)
    finished_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)

    ERRORS_KEPT = 1000

    class Meta:
        verbose_name = _("가져오기")
        verbose_name_plural = _("가져오기")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="import_run_agency_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"
