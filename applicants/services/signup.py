"""An SME's sign-up, confirmed by e-mail, so that the sign-up page never tells who has an account.

The page answers every well-formed request alike ("we sent you mail"); the mail, read only by the
owner of the address, says the rest:
- a new username and address: the account is made now, inactive, with everything typed, and the mail
  carries a signed link (SignupTokenGenerator, PASSWORD_RESET_TIMEOUT) that activates it;
- an address that already has an account: "you have one: sign in or ask staff" (an unconfirmed
  sign-up of that address gets its link again instead);
- a taken username: "choose another", to the typed address only.
Each path does the same work (one password hash, one mail), so the answer's timing says nothing either.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.consent import consent_record
from accounts.models import Role
from program.notifications import notify_address


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Signed and expiring like a password-reset token, but for this purpose only. It hashes the
    password and last_login, so it stops working once the account is activated and signed in."""

    key_salt = "applicants.services.signup.SignupTokenGenerator"


signup_token = SignupTokenGenerator()


def activation_path_args(user) -> tuple[str, str]:
    """What the activation URL carries: the account's id (encoded) and its token."""
    return urlsafe_base64_encode(force_bytes(user.pk)), signup_token.make_token(user)


def pending_user_for(*, uidb64: str, token: str):
    """The unconfirmed account a link names, if the link is genuine and unexpired; else None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not is_pending(user) or not signup_token.check_token(user, token):
        return None
    return user


def is_pending(user) -> bool:
    """Signed up, never confirmed: inactive and never signed in (a deactivated account has been)."""
    return not user.is_active and user.last_login is None and user.role == Role.APPLICANT


@transaction.atomic
def signup_request(
    *,
    username: str,
    first_name: str,
    email: str,
    password: str,
    activation_link: Callable[[object], str],
    marketing: bool = False,
) -> None:
    """Start a sign-up; whatever exists already, the caller answers the same. The caller's form has
    the required consent ticked (SPEC §20): it is stored with the new account, with its version and
    time, and the optional one as answered. Where no account is made, no consent is stored."""
    users = get_user_model().objects
    email = users.normalize_email(email)
    existing = users.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        make_password(password)  # the work a new account costs
        _mail_existing(existing, activation_link)
        return
    user = users.model(
        username=username, first_name=first_name, email=email, role=Role.APPLICANT, is_active=False
    )
    user.set_password(password)
    if users.filter(username__iexact=username).exists():
        _mail_username_taken(email, username)
        return
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same username signed up a moment ago
        _mail_username_taken(email, username)
        return
    consent_record(user=user, optional={"marketing": marketing})
    _mail_activation(user, activation_link)


def signup_confirm(*, user) -> None:
    """The link was followed: the account may sign in (the caller signs it in)."""
    user.is_active = True
    user.save(update_fields=["is_active"])


def _mail_activation(user, activation_link) -> None:
    notify_address(
        subject=_("[상생형 스마트공장] 가입을 마치려면 링크를 눌러 주세요"),
        body=_(
            "%(name)s님, 상생형 스마트공장 사업관리 시스템 가입을 신청하셨습니다"
            "(사용자 이름: %(username)s).\n"
            "아래 링크를 열어 가입을 마치세요. 링크는 %(days)s일 동안 한 번만 쓸 수 있습니다.\n\n%(link)s\n\n"
            "직접 신청하지 않았다면 이 메일을 무시하세요. 계정은 만들어지지 않습니다."
        )
        % {
            "name": user.first_name,
            "username": user.username,
            "days": signup_token_days(),
            "link": activation_link(user),
        },
        address=user.email,
    )


def _mail_existing(user, activation_link) -> None:
    if is_pending(user):
        _mail_activation(user, activation_link)
        return
    notify_address(
        subject=_("[상생형 스마트공장] 이미 가입된 메일 주소입니다"),
        body=_(
            "이 메일 주소로 가입 신청이 있었지만, 이 주소에는 이미 계정이 있습니다"
            "(사용자 이름: %(username)s).\n"
            "그 계정으로 로그인하세요. 로그인할 수 없으면 사업담당자에게 문의해 주세요.\n\n"
            "직접 신청하지 않았다면 이 메일을 무시하세요. 아무것도 바뀌지 않았습니다."
        )
        % {"username": user.username},
        address=user.email,
    )


def _mail_username_taken(email: str, username: str) -> None:
    notify_address(
        subject=_("[상생형 스마트공장] 다른 사용자 이름으로 가입해 주세요"),
        body=_(
            "이 메일 주소로 가입 신청이 있었지만, 사용자 이름 %(username)s은(는) 이미 쓰이고 있어 "
            "계정을 만들지 않았습니다.\n다른 사용자 이름으로 다시 가입해 주세요.\n\n"
            "직접 신청하지 않았다면 이 메일을 무시하세요."
        )
        % {"username": username},
        address=email,
    )


def signup_token_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
