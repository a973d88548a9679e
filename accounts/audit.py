"""accounts' audit: the account events of SPEC §20 (a token revoked, a second factor reset, a password
changed, consent given, personal data anonymised…) go to the audit trail through the `account_audit`
extension point: the trail (program.AuditEvent) sits above accounts, which imports no app above it
(config/plugins.py). Their words are asked through `audit_labels` like every app's."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.plugins import plugins

# Each part of issue 22 adds its actions here: "account.<what>".
LABELS: dict[str, Any] = {
    # part h5: password reset and change, the profile
    "account.password_reset": _("비밀번호 재설정(메일 링크)"),
    "account.password_change": _("비밀번호 변경"),
    "account.profile_update": _("내 정보 수정"),
    # part h4: API tokens (accounts/tokens.py)
    "account.token_revoke": _("API 토큰 폐기"),
    # ---- part h6: consent, export, retention (SPEC §20)
    "account.consent": _("개인정보 동의 변경"),
    "account.export": _("개인정보 내려받기"),
}


def audit_labels() -> dict[str, Any]:
    """accounts' own actions in words (program/audit.py asks every app's in turn)."""
    return LABELS


def account_audit(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> None:
    """Record an account event on the audit trail; call inside the change's transaction. The
    arguments are program.services.audit_event_record's, which the extension point names."""
    for record in plugins("account_audit"):
        record(actor=actor, action=action, target=target, before=before, after=after, note=note)
