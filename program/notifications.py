"""One notification fan-out: services say what happened, this decides who hears of it and how."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import IsNull
from django.shortcuts import get_object_or_404
from django.utils import timezone

from program.models import Notification, OutgoingEmail
from program.outbox import email_queue, email_queue_each

# The e-mails' subject prefix: the inbox is already the program's, so its titles go without it.
SUBJECT_PREFIX = "[상생형 스마트공장] "


def _recipients(*, users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def notify(*, subject: str, body: str, users, url: str = "", kind: str = "", target=None) -> None:
    """Tell `users` of an event: one in-app notice each (the inbox) and an e-mail each.

    The notices are written in the caller's transaction (one INSERT), so an event that rolls back
    leaves none. The e-mails go through the outbox (program/outbox.py) once that transaction commits:
    an outage of the broker or the mail server delays the mail, it does not lose it, and it never
    fails the request that decided it. `url` is the object's page for these users (a relative path);
    `target`, the object itself, lets reminders ask whether they already told of it."""
    notify_each([Notice(subject=subject, body=body, users=users, url=url, kind=kind, target=target)])


@dataclass(frozen=True)
class Notice:
    """One `notify` call's arguments, for `notify_each`."""

    subject: str
    body: str
    users: Iterable
    url: str = ""
    kind: str = ""
    target: Any = None


def notify_each(notices: Iterable[Notice]) -> None:
    """Several `notify` calls at once (a reminder run's batch): the same notices and e-mails, in one
    INSERT of notices and one of e-mails for them all rather than two per call."""
    notices = [replace(notice, users=list(notice.users)) for notice in notices]
    Notification.objects.bulk_create(
        row
        for notice in notices
        for row in _notification_rows(
            subject=notice.subject,
            body=notice.body,
            users=notice.users,
            url=notice.url,
            kind=notice.kind,
            target=notice.target,
        )
    )
    email_queue_each(
        emails=[(notice.subject, notice.body, _recipients(users=notice.users)) for notice in notices]
    )


def notification_create(*, subject: str, body: str, users, url: str = "", kind: str = "", target=None):
    """One Notification per active user (each once), in one INSERT."""
    return Notification.objects.bulk_create(
        _notification_rows(subject=subject, body=body, users=users, url=url, kind=kind, target=target)
    )


def _notification_rows(*, subject: str, body: str, users, url: str, kind: str, target) -> list[Notification]:
    title = str(subject).removeprefix(SUBJECT_PREFIX)[: Notification.TITLE_MAX_LENGTH]
    body = str(body)[: Notification.BODY_MAX_LENGTH]
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = target.pk if target is not None else None
    now = timezone.now()
    recipients = {u.pk: u for u in users if u.is_active}
    return [
        Notification(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=url[: Notification.URL_MAX_LENGTH],
            target_type=target_type,
            target_id=target_id,
            created_at=now,
        )
        for user in recipients.values()
    ]


def notify_address(*, subject: str, body: str, address: str) -> None:
    """E-mail one address that is not (yet) an active user's: sign-up's confirmation mails."""
    email_queue(subject=subject, body=body, recipients=[address])


def account_email(*, subject: str, body: str, address: str) -> None:
    """The `account_email` extension point (accounts/mail.py): accounts' own mails (a password-reset
    link, SPEC §20) through the outbox, sent by the task queue once the caller's transaction commits.
    No inbox notice: the mail may be for someone who cannot sign in."""
    email_queue(subject=subject, body=body, recipients=[address])


def staff_users(*, agency_id: int | None = None):
    """Active staff; with `agency_id`, that agency's and those of no agency (a superuser, who sees every
    agency), so one agency's news does not reach another's staff (docs/domain.md §1)."""
    users = get_user_model().objects.filter(role="staff", is_active=True)
    if agency_id is not None:
        users = users.filter(Q(agency_id=agency_id) | Q(agency__isnull=True))
    return users


# --- The inbox: reads and the two writes (docs/domain.md, "Inbox") ---------------------------------

UNREAD_COUNT_CAP = 100  # the header counts this far and shows "99+" beyond


def notification_list(*, user) -> QuerySet[Notification]:
    """`user`'s own notices, unread first, then newest first: the order of notification_inbox_idx."""
    return Notification.objects.filter(user=user).order_by(
        IsNull(F("read_at"), True).desc(), F("created_at").desc(), F("id").desc()
    )


def notification_unread_count(*, user) -> int:
    """How many of `user`'s notices are unread, counted no further than UNREAD_COUNT_CAP (one query)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True).values("pk")[:UNREAD_COUNT_CAP]
    return unread.count()


def notification_get(*, user, pk: int) -> Notification:
    """One of `user`'s own notices; anyone else's is a 404."""
    return get_object_or_404(Notification.objects.filter(user=user), pk=pk)


def notification_mark_read(*, user, pk: int) -> Notification:
    """Mark one of `user`'s notices read (once: a second call keeps the first time). 404 if not theirs."""
    notification = notification_get(user=user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        unread = Notification.objects.filter(pk=notification.pk, read_at__isnull=True)
        unread.update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notice of `user` read, in one UPDATE; how many it marked."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_forget(*, users, addresses) -> int:
    """Retention (SPEC §20): delete the in-app notices of `users` and the e-mails, sent or waiting,
    to `addresses`; their titles and bodies name people and companies. Answers how many went."""
    notices = Notification.objects.filter(user__in=users).delete()[0]
    mails = OutgoingEmail.objects.filter(to__in=[a for a in addresses if a]).delete()[0]
    return notices + mails
