"""A user's own personal data, as one JSON document (SPEC §20, `GET me/export/`).

accounts gives the account and its consents; every app above that holds personal data about the user
adds its own sections through the `personal_data_export` extension point (settings.PLUGINS): each is
called with `user=` and answers a dict of sections (JSON-ready values), or an empty dict.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import account_audit
from accounts.consent import consent_history
from config.plugins import plugins

FORMAT_VERSION = 1


def _when(value) -> str | None:
    return value.isoformat() if value else None


def account_section(user) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "privacy_consent_version": user.privacy_consent_version,
    }


def consent_section(user) -> list[dict[str, Any]]:
    return [
        {"kind": row.kind, "version": row.version, "agreed": row.agreed, "at": _when(row.created_at)}
        for row in consent_history(user=user)
    ]


@transaction.atomic
def personal_data_export(*, user) -> dict[str, Any]:
    """Everything the apps hold about `user`, audited `account.export` (who downloaded what, when)."""
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": account_section(user),
        "consents": consent_section(user),
    }
    for sections in plugins("personal_data_export"):
        data.update(sections(user=user))
    account_audit(actor=user, action="account.export", target=user, after={"sections": sorted(data)})
    return data
