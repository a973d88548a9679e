"""The profile (내 정보, SPEC §20): a signed-in user's own name, e-mail address and phone."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import account_audit
from accounts.mail import account_email

PROFILE_FIELDS = ("first_name", "email", "phone")


def profile_values(user) -> dict[str, str]:
    return {name: getattr(user, name) for name in PROFILE_FIELDS}


@transaction.atomic
def profile_update(*, user, first_name: str, email: str, phone: str) -> dict[str, str]:
    """Save what changed (already validated), audited before → after; the fields it changed. A new
    e-mail address is told to the old one: reset links go to the address, so its owner should know."""
    before = profile_values(user)
    after = {"first_name": first_name, "email": email, "phone": phone}
    changed = {name: value for name, value in after.items() if before[name] != value}
    if not changed:
        return {}
    for name, value in changed.items():
        setattr(user, name, value)
    others = [field.name for field in user._meta.fields if field.name not in changed]
    user.full_clean(exclude=others, validate_unique=False)
    changed = {name: getattr(user, name) for name in changed}  # as clean() normalised them
    user.save(update_fields=list(changed))
    account_audit(
        actor=user,
        action="account.profile_update",
        target=user,
        before={name: before[name] for name in changed},
        after=changed,
    )
    if "email" in changed and before["email"]:
        _mail_address_changed(user, old=before["email"])
    return changed


def _mail_address_changed(user, *, old: str) -> None:
    account_email(
        subject=_("[상생형 스마트공장] 계정의 메일 주소가 바뀌었습니다"),
        body=_(
            "상생형 스마트공장 사업관리 시스템 계정(사용자 이름: %(username)s)의 메일 주소가 "
            "%(new)s(으)로 바뀌었습니다. 이제 알림과 비밀번호 재설정 메일은 새 주소로 갑니다.\n\n"
            "직접 바꾸지 않았다면 곧바로 사업담당자에게 알려 주세요."
        )
        % {"username": user.get_username(), "new": user.email},
        address=old,
    )
