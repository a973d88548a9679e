"""Reminders of agreements awaiting the SME's signature (SPEC §16, the `reminder_sources` extension
point of applicants.services.reminders): due AGREEMENT_SIGN_DAYS after sending, reminded 3 days
before and on the day, to the company's people, linking to their agreement page."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.services.reminders import ReminderSource
from projects.models import Agreement
from projects.services.agreements import AGREEMENT_SIGN_DAYS


def _due_on(agreement: Agreement) -> datetime.date:
    assert agreement.sent_at is not None  # noqa: S101 — only sent agreements are due
    return _local_day(agreement.sent_at) + datetime.timedelta(days=AGREEMENT_SIGN_DAYS)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _awaiting(days: list[datetime.date]) -> QuerySet:
    sent_on = [day - datetime.timedelta(days=AGREEMENT_SIGN_DAYS) for day in days]
    return (
        Agreement.objects.filter(status=Agreement.Status.SENT, sent_at__date__in=sent_on)
        .select_related("application")
        .only("id", "sent_at", "application__id", "application__title", "application__company_id")
        .order_by("pk")
    )


def _recipients(agreements: list[Agreement]) -> dict[int, list]:
    """Each agreement's company's active people, in one query for the batch."""
    companies = {agreement.application.company_id for agreement in agreements}
    users = (
        get_user_model()
        .objects.filter(company_id__in=companies, is_active=True)
        .select_related(None)
        .only("id", "email", "company_id")
    )
    members: dict[int, list] = {}
    for user in users:
        members.setdefault(user.company_id, []).append(user)
    return {agreement.pk: members.get(agreement.application.company_id, []) for agreement in agreements}


def _message(agreement: Agreement, days_left: int) -> tuple[str, str]:
    title = agreement.application.title
    when = _("협약서 서명 기한 %d일 전") % days_left if days_left else _("오늘 협약서 서명 기한")
    subject = _("[상생형 스마트공장] %(title)s: %(when)s") % {"title": title, "when": when}
    body = _("'%(title)s'의 협약서 서명 기한은 %(due)s입니다. 협약서를 확인하고 서명해 주세요.") % {
        "title": title,
        "due": date_format(_due_on(agreement), "SHORT_DATE_FORMAT"),
    }
    return subject, body


def agreements_awaiting_signature() -> ReminderSource:
    return ReminderSource(
        name="agreement_sign",
        due=_awaiting,
        due_on=_due_on,
        recipients=_recipients,
        message=_message,
        url=lambda agreement: reverse("projects:my-agreement", args=[agreement.application_id]),
    )
