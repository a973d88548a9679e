from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone
from config.constraints import FieldCheckConstraint


class Role(models.TextChoices):
    """The six roles of docs/domain.md §1."""

    STAFF = "staff", _("사업담당자")
    EVALUATOR = "evaluator", _("평가위원")
    APPLICANT = "applicant", _("신청기업")
    SPONSOR = "sponsor", _("주관기관")
    MENTOR = "mentor", _("멘토")
    MINISTRY = "ministry", _("중소벤처기업부")


class AccountManager(UserManager):
    def get_queryset(self):
        # The agency comes with the user (one join): every staff page names it in the header.
        return super().get_queryset().select_related("agency")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Applicants belong to one company, sponsor users to one sponsor, staff
    to one executing agency (협업기관, docs/domain.md §1)."""

    role = models.CharField(_("역할"), max_length=16, choices=Role.choices, default=Role.APPLICANT)
    company = models.ForeignKey(
        "applicants.Company",
        verbose_name=_("소속 기업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    sponsor = models.ForeignKey(
        "program.Sponsor",
        verbose_name=_("소속 주관기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # A string reference: the model is program's, and accounts imports no app above it.
    agency = models.ForeignKey(
        "program.Agency",
        verbose_name=_("소속 협업기관"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    # The profile's phone (SPEC §20): as typed, digits and hyphens (accounts/validators.py).
    phone = models.CharField(_("전화번호"), max_length=20, blank=True, validators=[validate_phone])
    # The version of the 개인정보 수집·이용 동의 text last agreed to (accounts/consent.py); blank for
    # roles that sign no consent. Kept on the user so the consent check costs no query per request.
    privacy_consent_version = models.CharField(
        _("동의한 개인정보 안내 버전"), max_length=32, blank=True, default=""
    )

    objects: ClassVar[AccountManager] = AccountManager()  # ClassVar, as AbstractUser declares it

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        constraints = [
            FieldCheckConstraint(
                condition=Q(role__in=["staff", "evaluator", "applicant", "sponsor", "mentor", "ministry"]),
                name="user_role_known",
                field="role",
                violation_error_message=_("알 수 없는 역할입니다."),
            ),
            # An applicant may sign up before registering its company; other roles never have one.
            FieldCheckConstraint(
                condition=Q(company__isnull=True) | Q(role=Role.APPLICANT),
                name="user_company_only_for_applicants",
                field="company",
                violation_error_message=_("소속 기업은 신청기업 사용자에게만 지정할 수 있습니다."),
            ),
            FieldCheckConstraint(
                condition=(Q(role=Role.SPONSOR) & Q(sponsor__isnull=False))
                | (~Q(role=Role.SPONSOR) & Q(sponsor__isnull=True)),
                name="user_sponsor_iff_sponsor_role",
                field="sponsor",
                violation_error_message=_(
                    "주관기관 사용자에게는 소속 주관기관이 있어야 하고, 다른 역할에는 없어야 합니다."
                ),
            ),
            # Staff work for one agency; a superuser may hold the staff role without one (it administers
            # every agency anyway). No other role belongs to an agency.
            FieldCheckConstraint(
                condition=(Q(role=Role.STAFF) & (Q(agency__isnull=False) | Q(is_superuser=True)))
                | (~Q(role=Role.STAFF) & Q(agency__isnull=True)),
                name="user_agency_iff_staff",
                field="agency",
                violation_error_message=_(
                    "사업담당자에게는 소속 협업기관이 있어야 하고, 다른 역할에는 없어야 합니다."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


# ---- part h4 of issue 22: API tokens (SPEC §20), issued and revoked by accounts/tokens.py
class ApiToken(models.Model):
    """A key for `Authorization: Token <key>`. Only its SHA-256 is kept: the key itself is shown once,
    when it is issued. It works until `expires_at` (API_TOKEN_TTL_DAYS after issue) or until revoked."""

    user = models.ForeignKey(
        User, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("키 해시(SHA-256)"), max_length=64, unique=True, editable=False)
    # The key's first characters, to tell tokens apart on screen; not enough to use one.
    prefix = models.CharField(_("키 앞자리"), max_length=8, editable=False)
    name = models.CharField(_("이름"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("발급 일시"), default=timezone.now)
    last_used_at = models.DateTimeField(_("마지막 사용"), null=True, blank=True)
    expires_at = models.DateTimeField(_("만료 일시"))
    revoked_at = models.DateTimeField(_("폐기 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_issue",
                field="expires_at",
                violation_error_message=_("만료 일시는 발급 일시보다 뒤여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.prefix}… {self.name}".strip()


class Consent(models.Model):
    """One consent given or withdrawn (SPEC §20): who, to which text's version, when. Append-only:
    the latest row of a kind is the user's current answer, the rows before it are the record."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("개인정보 수집·이용 동의(필수)")
        MARKETING = "marketing", _("사업 안내 메일 수신 동의(선택)")

    user = models.ForeignKey(
        User, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("동의 종류"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("안내문 버전"), max_length=32)
    agreed = models.BooleanField(_("동의 여부"))
    created_at = models.DateTimeField(_("일시"), default=timezone.now)

    class Meta:
        verbose_name = _("개인정보 동의")
        verbose_name_plural = _("개인정보 동의")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "created_at"], name="consent_user_kind_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(kind__in=["privacy", "marketing"]),
                name="consent_kind_known",
                field="kind",
                violation_error_message=_("알 수 없는 동의 종류입니다."),
            ),
            # The required consent is given or the account is not made: there is no refusal to record.
            FieldCheckConstraint(
                condition=~Q(kind="privacy") | Q(agreed=True),
                name="consent_privacy_agreed",
                field="agreed",
                violation_error_message=_("개인정보 수집·이용 동의는 필수입니다."),
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.version}"
