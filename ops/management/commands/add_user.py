"""manage.py add_user USERNAME --role ROLE [--sponsor NAME] [--company BUSINESS_NUMBER] [--agency NAME]
[--password P] [--otp-secret BASE32]

Creates one user of docs/domain.md §1's roles. Every bad input is a CommandError in Korean and nothing is
stored. Superusers are made with `createsuperuser`.
"""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.otp import hex_key_from_base32, totp_device_provision
from applicants.models import Company
from mentoring.models import Mentor
from program.business_number import format_business_number, normalize_business_number
from program.models import Agency, Sponsor


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # Django prints a lazy help text in the active language
        "사용자를 만듭니다. --password가 없으면 안전한 비밀번호를 만들어 한 번 보여 줍니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("로그인 아이디"))
        parser.add_argument("--role", help=_("역할: %s") % ", ".join(Role.values))
        parser.add_argument("--sponsor", help=_("주관기관 이름 (역할 sponsor에 필수)"))
        parser.add_argument("--company", help=_("소속 기업의 사업자등록번호 (역할 applicant만)"))
        parser.add_argument("--agency", help=_("소속 협업기관 이름 (역할 staff에 필수)"))
        parser.add_argument("--password", help=_("비밀번호 (없으면 만들어 출력)"))
        parser.add_argument("--name", default="", help=_("이름 (멘토 프로필의 이름; 없으면 아이디)"))
        parser.add_argument("--email", default="", help=_("이메일"))
        parser.add_argument(
            "--otp-secret",
            help=_("2단계 인증 TOTP 비밀키 (base32): 이 비밀키로 확인된 인증 장치를 함께 만듭니다"),
        )

    def handle(self, *args, **options):
        role = self._role(options["role"])
        username = options["username"].strip()
        generated = options["password"] is None
        password = secrets.token_urlsafe(15) if generated else options["password"]
        user = User(
            username=username,
            role=role,
            email=options["email"],
            first_name=options["name"],
            sponsor=self._sponsor(role, options["sponsor"]),
            company=self._company(role, options["company"]),
            agency=self._agency(role, options["agency"]),
        )
        self._check_username(user)
        self._check_password(password, user)
        otp_key = self._otp_key(options["otp_secret"])
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if otp_key is not None:
                totp_device_provision(user=user, hex_key=otp_key)
            mentor = None
            if role == Role.MENTOR:
                mentor = Mentor.objects.create(user=user, name=options["name"] or username)
        self._report(user, mentor, password if generated else None)
        if otp_key is not None:
            self.stdout.write(_("  2단계 인증: 주어진 비밀키의 인증 장치를 등록했습니다."))

    def _otp_key(self, secret: str | None) -> str | None:
        """The hex key of `--otp-secret` (SPEC §12), or a Korean CommandError before anything is stored."""
        if secret is None:
            return None
        try:
            return hex_key_from_base32(secret)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _role(self, role: str | None) -> str:
        if role not in Role.values:
            choices = ", ".join(Role.values)
            if role is None:
                raise CommandError(_("--role로 역할을 지정해 주세요: %s") % choices)
            message = _("알 수 없는 역할입니다: %(role)s (가능한 역할: %(choices)s)")
            raise CommandError(message % {"role": role, "choices": choices})
        return role

    def _sponsor(self, role: str, name: str | None) -> Sponsor | None:
        if role != Role.SPONSOR:
            if name:
                raise CommandError(_("--sponsor는 역할 sponsor에만 지정할 수 있습니다."))
            return None
        if not name:
            raise CommandError(_("역할 sponsor에는 --sponsor로 주관기관 이름을 지정해야 합니다."))
        sponsor = Sponsor.objects.filter(name=name.strip()).first()
        if sponsor is None:
            known = ", ".join(Sponsor.objects.order_by("name").values_list("name", flat=True)[:20]) or _(
                "없음"
            )
            message = _("주관기관을 찾을 수 없습니다: %(name)s (등록된 주관기관: %(known)s)")
            raise CommandError(message % {"name": name, "known": known})
        return sponsor

    def _agency(self, role: str, name: str | None) -> Agency | None:
        if role != Role.STAFF:
            if name:
                raise CommandError(_("--agency는 역할 staff에만 지정할 수 있습니다."))
            return None
        if not name:
            raise CommandError(_("역할 staff에는 --agency로 소속 협업기관 이름을 지정해야 합니다."))
        agency = Agency.objects.filter(name=name.strip()).first()
        if agency is None:
            known = ", ".join(Agency.objects.order_by("name").values_list("name", flat=True)) or _("없음")
            message = _("협업기관을 찾을 수 없습니다: %(name)s (등록된 협업기관: %(known)s)")
            raise CommandError(message % {"name": name, "known": known})
        return agency

    def _company(self, role: str, number: str | None) -> Company | None:
        if not number:
            return None
        if role != Role.APPLICANT:
            raise CommandError(_("--company는 역할 applicant에만 지정할 수 있습니다."))
        try:
            digits = normalize_business_number(number)
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        company = Company.objects.filter(business_number=digits).first()
        if company is None:
            raise CommandError(
                _("사업자등록번호 %s인 기업을 찾을 수 없습니다.") % format_business_number(digits)
            )
        return company

    def _check_username(self, user: User) -> None:
        if not user.username:
            raise CommandError(_("아이디를 입력해 주세요."))
        if User.objects.filter(username__iexact=user.username).exists():
            raise CommandError(_("이미 있는 아이디입니다: %s") % user.username)
        try:
            User.username_validator(user.username)
        except ValidationError as error:
            raise CommandError(_("아이디를 쓸 수 없습니다: %s") % _messages(error)) from None

    def _check_password(self, password: str, user: User) -> None:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise CommandError(_("비밀번호가 안전하지 않습니다: %s") % _messages(error)) from None

    def _report(self, user: User, mentor: Mentor | None, generated_password: str | None) -> None:
        created = _("사용자를 만들었습니다: %(username)s (역할: %(role)s)")
        self.stdout.write(
            self.style.SUCCESS(created % {"username": user.username, "role": Role(user.role).label})
        )
        if user.agency:
            self.stdout.write(_("  협업기관: %s") % user.agency.name)
        if user.sponsor:
            self.stdout.write(_("  주관기관: %s") % user.sponsor.name)
        if user.company:
            company = {"name": user.company.name, "number": user.company.business_number_display}
            self.stdout.write(_("  소속 기업: %(name)s (%(number)s)") % company)
        if mentor:
            self.stdout.write(_("  멘토 프로필: %s") % mentor.name)
        if generated_password:
            self.stdout.write(_("  비밀번호: %s") % generated_password)
            self.stdout.write(_("  (이 비밀번호는 다시 보여 주지 않습니다. 안전하게 전달해 주세요.)"))
