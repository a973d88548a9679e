"""Due-date reminders (SPEC §19, docs/domain.md §4): a daily run (beat, applicants.send_due_reminders)
reminds people of what falls due in three days and today.

A `ReminderSource` says what can fall due: the open objects due on given days (one query), each one's
due date, who hears of it (in bulk) and what they are told. Change requests are the first source;
agreements and clawbacks add a source (settings.PLUGINS["reminder_sources"]), not a mechanism.

At most one reminder per object, kind and day: each batch claims its reminders with one
`INSERT … ON CONFLICT DO NOTHING RETURNING` into ReminderSent and notifies only for the rows that
insert returned, in the same transaction. A second run at the same time waits on the first one's
rows and then skips them; a re-run finds them there. Either way nothing is sent twice, and a run
that fails rolls its claims back with its notifications.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.models import Application, ReminderSent
from config.plugins import plugins
from program.notifications import Notice, notify_each

# Days before the due date a reminder goes out, and the step's name in the kind.
STEPS = {3: "due_in_3_days", 0: "due_today"}
BATCH = 1_000


@dataclass(frozen=True)
class ReminderSource:
    name: str  # the kinds' prefix: "<name>.<step>"
    due: Callable[[list[datetime.date]], QuerySet]  # the open objects due on one of these days
    due_on: Callable[[Any], datetime.date]
    recipients: Callable[[list[Any]], dict[int, list[Any]]]  # object id → users, for a batch
    message: Callable[[Any, int], tuple[str, str]]  # (subject, body) for an object due in n days
    url: Callable[[Any], str]  # the object's page for the people reminded (the inbox links to it)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders due `today` (Asia/Seoul) that no run has sent yet; the number sent."""
    today = today or timezone.localdate()
    steps = {today + datetime.timedelta(days=days): step for days, step in STEPS.items()}
    sent = 0
    for source in reminder_sources():
        objects = list(source.due(sorted(steps)))  # in id order: concurrent runs claim in one order
        for start in range(0, len(objects), BATCH):
            sent += _send_batch(source, objects[start : start + BATCH], steps, today)
    return sent


def reminder_sources() -> list[ReminderSource]:
    """Change requests and reworks, then each app's: a function registered in
    settings.PLUGINS["reminder_sources"] that returns its ReminderSource."""
    return [CHANGE_REQUESTS, REWORKS, *(source() for source in plugins("reminder_sources"))]


@transaction.atomic
def _send_batch(source: ReminderSource, objects: list, steps: dict, today: datetime.date) -> int:
    kinds = {obj.pk: f"{source.name}.{steps[source.due_on(obj)]}" for obj in objects}
    claimed = reminders_claim(kinds, today)
    mine = [obj for obj in objects if obj.pk in claimed]
    if not mine:
        return 0
    recipients = source.recipients(mine)
    notices = []
    for obj in mine:
        subject, body = source.message(obj, (source.due_on(obj) - today).days)
        notices.append(
            Notice(
                subject=subject,
                body=body,
                users=recipients.get(obj.pk, []),
                url=source.url(obj),
                kind=f"reminder.{kinds[obj.pk]}",
                target=obj,
            )
        )
    # The batch's notices and e-mails in one INSERT each, not two per reminder (docs/performance.md).
    notify_each(notices)
    return len(mine)


def reminders_claim(kinds: dict[int, str], today: datetime.date) -> set[int]:
    """Insert one ReminderSent per (kind, object) for `today`; the object ids this call inserted.
    Every once-a-day sending claims through here (the reminders above, execution's weekly digest).
    Rows another run inserted first (committed, or committing: the insert waits for it) are skipped.
    Django's bulk_create(ignore_conflicts=True) cannot say which rows were new, hence the SQL
    (the same on PostgreSQL and SQLite ≥ 3.35)."""
    if not kinds:
        return set()
    ops, quote = connection.ops, connection.ops.quote_name
    day, now = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(timezone.now())
    table = quote(ReminderSent._meta.db_table)
    columns = ", ".join(quote(c) for c in ("kind", "object_id", "day", "sent_at"))
    unique = ", ".join(quote(c) for c in ("kind", "object_id", "day"))
    values = ", ".join(["(%s, %s, %s, %s)"] * len(kinds))
    # Only quoted names and placeholders are formatted in; the values go as parameters.
    insert = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608
    sql = f"{insert} ON CONFLICT ({unique}) DO NOTHING RETURNING {quote('object_id')}"
    params = [value for pk, kind in kinds.items() for value in (kind, pk, day, now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


# --- change requests (보완요청) -------------------------------------------------------------------


def _changes_due(days: list[datetime.date]) -> QuerySet:
    return (
        Application.objects.filter(status=Application.Status.CHANGES_REQUESTED, changes_due_on__in=days)
        .only("id", "title", "company_id", "changes_due_on")
        .order_by("pk")
    )


def _company_members(applications: Iterable[Application]) -> dict[int, list]:
    """Each application's company's active members, in one query for the batch."""
    applications = list(applications)
    members = defaultdict(list)
    users = (
        get_user_model()
        .objects.filter(company_id__in={a.company_id for a in applications}, is_active=True)
        .select_related(None)
        .only("id", "email", "is_active", "company_id")
    )
    for user in users:
        members[user.company_id].append(user)
    return {a.pk: members[a.company_id] for a in applications}


def _changes_message(application: Application, days_left: int) -> tuple[str, str]:
    due = date_format(application.changes_due_on or "", "SHORT_DATE_FORMAT")
    if days_left:
        when = _("보완 기한 %d일 전") % days_left
    else:
        when = _("오늘 보완 기한")
    subject = _("[상생형 스마트공장] %(title)s: %(when)s") % {"title": application.title, "when": when}
    body = _(
        "신청서 '%(title)s'의 보완 기한은 %(due)s입니다. 기한 안에 신청서를 고쳐 다시 제출해 주세요."
    ) % {"title": application.title, "due": due}
    return subject, body


CHANGE_REQUESTS = ReminderSource(
    name="changes_requested",
    due=_changes_due,
    due_on=lambda application: application.changes_due_on,
    recipients=_company_members,
    message=_changes_message,
    url=lambda application: reverse("applicants:my-detail", args=[application.pk]),
)


# --- reworks after a completion inspection (보완, SPEC §17) --------------------------------------------


def _reworks_due(days: list[datetime.date]) -> QuerySet:
    # A project back in building carries a 보완 기한 only after request_rework (submitting clears it).
    return (
        Application.objects.filter(status=Application.Status.BUILDING, changes_due_on__in=days)
        .only("id", "title", "company_id", "changes_due_on")
        .order_by("pk")
    )


def _rework_message(application: Application, days_left: int) -> tuple[str, str]:
    due = date_format(application.changes_due_on or "", "SHORT_DATE_FORMAT")
    when = _("보완 기한 %d일 전") % days_left if days_left else _("오늘 보완 기한")
    subject = _("[상생형 스마트공장] %(title)s: %(when)s") % {"title": application.title, "when": when}
    body = _("'%(title)s'의 완료점검 보완 기한은 %(due)s입니다.") % {"title": application.title, "due": due}
    body += " " + _("기한 안에 보완을 마치고 완료점검을 다시 요청해 주세요.")
    return subject, body


REWORKS = ReminderSource(
    name="rework",
    due=_reworks_due,
    due_on=lambda application: application.changes_due_on,
    recipients=_company_members,
    message=_rework_message,
    url=lambda application: reverse("projects:my-completion", args=[application.pk]),
)
