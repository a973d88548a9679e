"""Password reset by e-mail and password change (SPEC §20, issue 22 item 3).

A reset request is answered alike whether or not an account has the address (the views): this
service mails a link only to the active accounts with a usable password at exactly that address,
and only while the address is within PASSWORD_RESET_ADDRESS_RATE (accounts/limits.py). The link is
Django's password-reset token: signed, expiring after PASSWORD_RESET_TIMEOUT, and spent once the
password changes (the token hashes the password and the last sign-in).
"""

import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.audit import account_audit
from accounts.limits import reset_per_address
from accounts.mail import account_email


def reset_link_args(user) -> tuple[str, str]:
    """What the reset link carries: the account's id (encoded) and its token."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def _same_address(one: str, other: str) -> bool:
    """Case-insensitively equal after Unicode compatibility folding, as Django's own reset form
    compares: the database's case-insensitive match alone lets a look-alike address through."""
    return unicodedata.normalize("NFKC", one).casefold() == unicodedata.normalize("NFKC", other).casefold()


def reset_accounts(*, email: str) -> list:
    """The accounts a reset link may go to: active, with a usable password, at exactly `email`."""
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    return [user for user in users if user.has_usable_password() and _same_address(user.email, email)]


@transaction.atomic
def password_reset_request(*, email: str, link: Callable[[object], str]) -> int:
    """Mail each account at `email` its reset link (`link(user)`, an absolute URL), unless the address
    has had its share already; how many were mailed. The caller answers alike whatever it is."""
    if not reset_per_address.hit(email):
        return 0
    accounts = reset_accounts(email=email)
    for user in accounts:
        _mail_reset_link(user, link(user))
    return len(accounts)


def _mail_reset_link(user, link: str) -> None:
    account_email(
        subject=_("[상생형 스마트공장] 비밀번호 재설정 안내"),
        body=_(
            "%(name)s님, 상생형 스마트공장 사업관리 시스템 계정(사용자 이름: %(username)s)의 "
            "비밀번호 재설정을 요청하셨습니다.\n"
            "아래 링크를 열어 새 비밀번호를 정하세요. 링크는 %(days)s일 동안 한 번만 쓸 수 있습니다.\n\n"
            "%(link)s\n\n"
            "직접 요청하지 않았다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다."
        )
        % {"name": user, "username": user.get_username(), "days": reset_link_days(), "link": link},
        address=user.email,
    )


def reset_link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


@transaction.atomic
def password_reset_complete(*, user, password: str) -> None:
    """The link was followed and a new password chosen (already validated): set it, audited. The
    link is spent with it, and every other session of the account ends (its hash changed)."""
    _password_set(user, password)
    account_audit(actor=user, action="account.password_reset", target=user)


@transaction.atomic
def password_change(*, user, password: str) -> None:
    """A signed-in user chose a new password (the current one checked, the new one validated)."""
    _password_set(user, password)
    account_audit(actor=user, action="account.password_change", target=user)


def _password_set(user, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
