"""One notification fan-out: services say what happened, this decides who hears of it and how."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q

logger = logging.getLogger(__name__)


def _recipients(*, users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def notify(*, subject: str, body: str, users) -> None:
    """E-mail `users` once the current transaction commits (never for a change that rolled back)."""
    _send_on_commit(subject=subject, body=body, recipients=_recipients(users=users))


def notify_address(*, subject: str, body: str, address: str) -> None:
    """E-mail one address that is not (yet) an active user's: sign-up's confirmation mails."""
    _send_on_commit(subject=subject, body=body, recipients=[address])


def _send_on_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return

    def send():
        messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
        try:
            send_mass_mail(messages, fail_silently=False)
        except OSError:
            # A mail server outage must not undo a decision already committed; it is logged.
            logger.exception("notification not sent: %s", subject)

    transaction.on_commit(send)


def staff_users(*, agency_id: int | None = None):
    """Active staff; with `agency_id`, that agency's and those of no agency (a superuser, who sees every
    agency), so one agency's news does not reach another's staff (docs/domain.md §1)."""
    users = get_user_model().objects.filter(role="staff", is_active=True)
    if agency_id is not None:
        users = users.filter(Q(agency_id=agency_id) | Q(agency__isnull=True))
    return users
