"""Two-factor sign-in (SPEC §20, issue 22 item 1): TOTP (RFC 6238) devices and recovery codes, on
django-otp. Who must use it, setting a device up, checking a code with its lock-out, and a superuser's
reset: the one home of these rules, called by the pages (accounts/views/otp.py), the middleware that
holds an unverified session to them (accounts/middleware.py), the token endpoint (accounts/security.py)
and the commands (add_user --otp-secret, seed_demo).

A session counts as verified once django-otp's `login` has stored the device that accepted a code in it
(OTPMiddleware reads it back on every request as `request.user.otp_device`).
"""

import binascii
import datetime
import enum
import re
from base64 import b32decode, b32encode
from dataclasses import dataclass
from secrets import token_hex

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import LABELS, account_audit
from accounts.models import Role, User

LABELS.update({
    "account.otp_confirm": _("2단계 인증 등록"),
    "account.otp_reset": _("2단계 인증 초기화"),
    "account.otp_recovery_codes": _("복구 코드 재발급"),
})  # fmt: skip

REQUIRED_ROLES = (Role.STAFF, Role.MINISTRY, Role.SPONSOR)
RECOVERY_CODE_COUNT = 10
# Set at sign-in when a user of an optional role has a device: that session must give a code too. The
# roles that must always have one need no mark (otp_required), so no request pays a query for it.
PENDING_SESSION_KEY = "two_factor_pending"
# The secret shown on the setup page, kept in the session until a code confirms it: opening the page
# stores nothing in the database.
SETUP_SESSION_KEY = "two_factor_setup_key"
_CODE = re.compile(r"^\d{6}$")
_SPACES = re.compile(r"[\s-]+")


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"  # django-otp's growing delay after a wrong code (1, 2, 4, 8 … seconds)
    LOCKED = "locked"  # OTP_FAILURE_LIMIT wrong codes in a row: locked for OTP_LOCKOUT_MINUTES
    NO_DEVICE = "no_device"


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    device: TOTPDevice | StaticDevice | None = None
    until: datetime.datetime | None = None  # throttled or locked until

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.VERIFIED


def otp_required(user) -> bool:
    """Staff, the ministry, sponsor users and superusers must sign in with a second factor (SPEC §20)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in REQUIRED_ROLES))


def otp_has_device(user) -> bool:
    """Whether the user has a confirmed device (a TOTP device or recovery codes)."""
    return user_has_device(user, confirmed=True)


def request_has_device(request) -> bool:
    """otp_has_device for the request's user, asked once per request (the middleware and the page)."""
    if not hasattr(request, "_two_factor_has_device"):
        request._two_factor_has_device = otp_has_device(request.user)
    return request._two_factor_has_device


def session_verified(request) -> bool:
    """Whether this session's user gave a second factor (django-otp's OTPMiddleware decides)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def session_needs_code(request) -> bool:
    """Whether this session must give a code before it counts (a device exists or the role requires it)."""
    user = request.user
    return otp_required(user) or bool(request.session.get(PENDING_SESSION_KEY))


def mark_session_at_login(*, request, user) -> None:
    """On sign-in (user_logged_in): a user of an optional role with a device owes a code too."""
    if request is None or not hasattr(request, "session") or otp_required(user):
        return
    if otp_has_device(user):
        request.session[PENDING_SESSION_KEY] = True


def session_login(request, device) -> None:
    """The session is verified by `device` (django-otp's login) and owes nothing any more."""
    django_otp.login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


# --- setting a device up ----------------------------------------------------------------------------


def setup_key(session) -> str:
    """The hex secret offered on the setup page, made once per session until it is confirmed."""
    key = session.get(SETUP_SESSION_KEY)
    if not key:
        key = session[SETUP_SESSION_KEY] = token_hex(20)
    return key


def secret_text(hex_key: str) -> str:
    """The secret as an authenticator app asks to type it: base32, in groups of four."""
    text = b32encode(binascii.unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(*, user, hex_key: str) -> str:
    """The otpauth:// URI of a TOTP device with this secret (the QR code's content)."""
    return TOTPDevice(user=user, key=hex_key).config_url


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as inline SVG markup, drawn here: no image request, no script, no inline
    style (the CSP allows none), no CDN."""
    title = str(_("2단계 인증 등록용 QR 코드"))
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#1d1d1d", light="#ffffff", title=title, svgclass="two-factor-qr"
    )


def _totp_matches(hex_key: str, code: str) -> int | None:
    """The time step `code` belongs to for this secret (one step either side), or None."""
    if not _CODE.match(code):
        return None
    totp = TOTP(binascii.unhexlify(hex_key), step=30, t0=0, digits=6)
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def otp_confirm(*, user: User, hex_key: str, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the secret shown on the setup page with a code from the app: the user's TOTP device is
    stored confirmed with 10 new recovery codes, audited `account.otp_confirm`. Answers the device and
    the recovery codes to show once, or None (nothing stored) when the code does not match the secret."""
    step = _totp_matches(hex_key, normalize_code(code))
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="authenticator", key=hex_key, confirmed=True, last_t=step
    )
    codes = _recovery_codes_replace(user)
    account_audit(actor=user, action="account.otp_confirm", target=user, after={"device": "totp"})
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """10 new recovery codes in place of the old ones (which stop working), audited."""
    codes = _recovery_codes_replace(user)
    account_audit(actor=user, action="account.otp_recovery_codes", target=user)
    return codes


def _recovery_codes_replace(user: User, codes: list[str] | None = None) -> list[str]:
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    device.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def hex_key_from_base32(secret: str) -> str:
    """A base32 secret (as `add_user --otp-secret` takes it: spaces, case and padding free) as the hex
    key django-otp stores. ValueError in Korean when it is not base32 or shorter than 80 bits."""
    text = _SPACES.sub("", secret).upper().rstrip("=")
    try:
        raw = b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise ValueError(_("OTP 비밀키가 올바른 base32 문자열이 아닙니다 (A-Z, 2-7).")) from None
    if len(raw) < 10 or len(raw) > 40:
        raise ValueError(_("OTP 비밀키는 16자(80비트) 이상 64자 이하의 base32 문자열이어야 합니다."))
    return raw.hex()


@transaction.atomic
def totp_device_provision(*, user: User, hex_key: str, recovery_codes: list[str] | None = None) -> TOTPDevice:
    """A confirmed TOTP device with a known secret (add_user --otp-secret, the demo logins), replacing
    the user's; with `recovery_codes`, those as its recovery codes. Left as it is when it already has
    exactly this secret and these codes (seed_demo runs again)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.key != hex_key or TOTPDevice.objects.filter(user=user).count() > 1:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", key=hex_key, confirmed=True)
    if recovery_codes is not None:
        stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        if stored != set(recovery_codes):
            _recovery_codes_replace(user, list(recovery_codes))
    return device


@transaction.atomic
def otp_reset(*, actor: User, user: User) -> None:
    """A superuser resets a user's second factor (a lost phone): their TOTP device and recovery codes
    are deleted, audited `account.otp_reset`; a role that requires one sets it up at next sign-in."""
    devices = sorted(type(device).__name__ for device in devices_for_user(user, confirmed=None))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    account_audit(
        actor=actor,
        action="account.otp_reset",
        target=user,
        before={"devices": devices},
        after={"devices": []},
    )


# --- checking a code --------------------------------------------------------------------------------


def normalize_code(code: str | None) -> str:
    """What the user typed, without spaces or dashes, lower case (recovery codes are base32 lower)."""
    return _SPACES.sub("", code or "").lower()


def otp_verify(user, code: str | None) -> Verification:
    """Check a 6-digit code of the user's app, or one of their recovery codes (used up by it).

    Every wrong code counts on each of the user's devices (django-otp's throttling): after one, the next
    attempt must wait 1, 2, 4, 8 … seconds (THROTTLED); after OTP_FAILURE_LIMIT in a row, every code,
    even a right one, is refused for OTP_LOCKOUT_MINUTES (LOCKED). A right code resets the count."""
    code = normalize_code(code)
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        if not devices:
            return Verification(Outcome.NO_DEVICE)
        locked_until = _locked_until(devices)
        if locked_until is not None:
            return Verification(Outcome.LOCKED, until=locked_until)
        throttled = [info for allowed, info in (d.verify_is_allowed() for d in devices) if not allowed]
        if throttled:
            return Verification(Outcome.THROTTLED, until=max(info["locked_until"] for info in throttled))
        matched = None
        for device in devices:  # each wrong one counts the failure on itself
            if device.verify_token(code):
                matched = device
                break
        if matched is None:
            locked_until = _locked_until(devices)
            if locked_until is not None:
                return Verification(Outcome.LOCKED, until=locked_until)
            return Verification(Outcome.WRONG)
        for device in devices:
            if device is not matched and device.throttling_failure_count:
                device.throttle_reset()
    return Verification(Outcome.VERIFIED, device=matched)


def _locked_until(devices) -> datetime.datetime | None:
    limit = settings.OTP_FAILURE_LIMIT
    cooloff = datetime.timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
    failed = [d for d in devices if d.throttling_failure_count >= limit and d.throttling_failure_timestamp]
    until = max((d.throttling_failure_timestamp + cooloff for d in failed), default=None)
    return until if until is not None and until > timezone.now() else None


def outcome_message(verification: Verification) -> str:
    """What the sign-in page and the token endpoint say about a code that was not accepted."""
    if verification.outcome is Outcome.LOCKED:
        minutes = settings.OTP_LOCKOUT_MINUTES
        return str(
            _("인증 코드를 여러 번 잘못 입력해 %(minutes)d분 동안 잠겼습니다. 잠시 후 다시 시도해 주세요.")
            % {"minutes": minutes}
        )
    if verification.outcome is Outcome.THROTTLED:
        seconds = (
            max(1, round((verification.until - timezone.now()).total_seconds())) if verification.until else 1
        )
        return str(
            _("인증 코드를 잘못 입력했습니다. %(seconds)d초 뒤에 다시 입력해 주세요.") % {"seconds": seconds}
        )
    if verification.outcome is Outcome.NO_DEVICE:
        return str(_("2단계 인증이 설정되지 않았습니다. 웹에서 로그인해 먼저 설정해 주세요."))
    return str(_("인증 코드가 맞지 않습니다."))


def token_otp_check(user, code: str | None) -> None:
    """`POST auth/token/` (accounts.security.TokenRequestSerializer): for a role that requires a second
    factor, the `otp` field must carry a code; missing or wrong → 400 on `otp`, throttled or locked
    → 429. Other roles' tokens need one only once they set a device up."""
    from rest_framework import serializers
    from rest_framework.exceptions import Throttled

    if not otp_required(user) and not otp_has_device(user):
        return
    if not normalize_code(code):
        raise serializers.ValidationError({"otp": [_("인증 코드가 필요합니다.")]}, code="otp_required")
    verification = otp_verify(user, code)
    if verification.outcome in (Outcome.LOCKED, Outcome.THROTTLED):
        wait = (verification.until - timezone.now()).total_seconds() if verification.until else None
        raise Throttled(wait=wait, detail=outcome_message(verification))
    if not verification.ok:
        raise serializers.ValidationError({"otp": [outcome_message(verification)]}, code="otp_invalid")
