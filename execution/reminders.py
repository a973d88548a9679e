"""Reminders of clawbacks due (SPEC §19, the `reminder_sources` extension point of
applicants.services.reminders): open clawbacks are reminded 3 days before and on their due date, to
the company's people, linking to the project's spending page where the clawback notice stands."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.services.reminders import ReminderSource
from config.money import won
from execution.models import Clawback


def _due(days: list[datetime.date]) -> QuerySet:
    return (
        Clawback.objects.filter(status=Clawback.Status.OPEN, due_on__in=days)
        .select_related("application")
        .only(
            "id", "due_on", "government", "sponsor", "collected_government", "collected_sponsor",
            "application__id", "application__title", "application__company_id",
        )
        .order_by("pk")
    )  # fmt: skip


def _recipients(clawbacks: list[Clawback]) -> dict[int, list]:
    """Each clawback's company's active people, in one query for the batch."""
    companies = {clawback.application.company_id for clawback in clawbacks}
    users = (
        get_user_model()
        .objects.filter(company_id__in=companies, is_active=True)
        .select_related(None)
        .only("id", "email", "company_id")
    )
    members: dict[int, list] = {}
    for user in users:
        members.setdefault(user.company_id, []).append(user)
    return {clawback.pk: members.get(clawback.application.company_id, []) for clawback in clawbacks}


def _message(clawback: Clawback, days_left: int) -> tuple[str, str]:
    title = clawback.application.title
    when = _("환수금 납부기한 %d일 전") % days_left if days_left else _("오늘 환수금 납부기한")
    subject = _("[상생형 스마트공장] %(title)s: %(when)s") % {"title": title, "when": when}
    body = _("'%(title)s'의 환수금 %(amount)s의 납부기한은 %(due)s입니다. 기한 안에 납부해 주세요.") % {
        "title": title,
        "amount": won(clawback.remaining),
        "due": date_format(clawback.due_on, "SHORT_DATE_FORMAT"),
    }
    return subject, body


def clawbacks_due() -> ReminderSource:
    return ReminderSource(
        name="clawback",
        due=_due,
        due_on=lambda clawback: clawback.due_on,
        recipients=_recipients,
        message=_message,
        url=lambda clawback: reverse("execution:my-spending", args=[clawback.application_id]),
    )
