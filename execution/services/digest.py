"""The weekly digest of spending awaiting review (SPEC §19): each agency's staff are told how many
lines of their programs wait for a decision and how many of them carry a flag.

At most one digest per staff user per ISO week: the run claims its recipients in ReminderSent (kind
`spending_digest.<ISO week>`, the user's id, the Monday of that week) with the reminders' INSERT …
ON CONFLICT DO NOTHING RETURNING, and notifies only the users that insert returned, in the same
transaction. A re-run in the same week, or two at once, sends nothing twice."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

# The reminders' claim (one row per kind, object and day, inserted once), reused rather than copied.
from applicants.services.reminders import reminders_claim as claim_reminders
from execution.models import SpendingLine
from program.notifications import Notice, notify_each, staff_users

KIND = "spending_digest"


def pending_by_agency() -> dict[int, dict[str, int]]:
    """Per agency: the pending lines of its programs and how many are flagged. One query."""
    rows = (
        SpendingLine.objects.filter(status=SpendingLine.Status.PENDING)
        .values("application__program__agency_id")
        .annotate(pending=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
        .order_by()
    )
    return {
        row["application__program__agency_id"]: {"pending": row["pending"], "flagged": row["flagged"]}
        for row in rows
    }


@transaction.atomic
def spending_digest_send(*, today: datetime.date) -> int:
    """Tell each agency's staff what awaits review in its programs, once per ISO week; the number of
    people told. An agency with nothing pending sends nothing."""
    year, week, _day = today.isocalendar()
    monday = datetime.date.fromisocalendar(year, week, 1)
    kind = f"{KIND}.{year}-W{week:02d}"
    notices, told = [], 0
    for agency_id, counts in sorted(pending_by_agency().items()):
        users = list(
            staff_users(agency_id=agency_id)
            .filter(agency_id=agency_id)
            .select_related(None)
            .only("id", "email")
        )
        claimed = claim_reminders({user.pk: kind for user in users}, monday)
        mine = [user for user in users if user.pk in claimed]
        if mine:
            notices.append(_notice(counts, mine, kind))
            told += len(mine)
    notify_each(notices)
    return told


def _notice(counts: dict[str, int], users: list, kind: str) -> Notice:
    subject = _("[상생형 스마트공장] 검토 대기 집행 내역 %(n)d건") % {"n": counts["pending"]}
    body = _("검토를 기다리는 집행 내역이 %(n)d건 있습니다(확인 필요 %(flagged)d건).") % {
        "n": counts["pending"],
        "flagged": counts["flagged"],
    }
    body += " " + _("증빙을 확인하고 인정 또는 불인정해 주세요.")
    url = reverse("execution:spending-queue")
    return Notice(subject=subject, body=body, users=users, url=url, kind=f"digest.{kind}")
