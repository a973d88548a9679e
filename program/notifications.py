"""One notification fan-out: services say what happened, this decides who hears of it and how."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from program.outbox import email_queue


def _recipients(*, users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def notify(*, subject: str, body: str, users) -> None:
    """E-mail `users` once the current transaction commits (never for a change that rolled back).

    Through the outbox (program/outbox.py): an outage of the broker or the mail server delays the
    mail, it does not lose it, and it never fails the request that decided it."""
    email_queue(subject=subject, body=body, recipients=_recipients(users=users))


def notify_address(*, subject: str, body: str, address: str) -> None:
    """E-mail one address that is not (yet) an active user's: sign-up's confirmation mails."""
    email_queue(subject=subject, body=body, recipients=[address])


def staff_users(*, agency_id: int | None = None):
    """Active staff; with `agency_id`, that agency's and those of no agency (a superuser, who sees every
    agency), so one agency's news does not reach another's staff (docs/domain.md §1)."""
    users = get_user_model().objects.filter(role="staff", is_active=True)
    if agency_id is not None:
        users = users.filter(Q(agency_id=agency_id) | Q(agency__isnull=True))
    return users
