"""Reminders of clawbacks due (execution/reminders.py) and the weekly digest of spending awaiting
review (execution/services/digest.py, execution/tasks.py)."""

import datetime

import pytest
from django.urls import reverse

from applicants.services.reminders import reminders_send
from execution.models import Clawback
from execution.services.digest import spending_digest_send
from execution.tasks import send_spending_digest
from program.models import Notification
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ProgramFactory,
    SpendingLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 10)  # a Thursday


def clawback_due(days: int, *, status="open") -> Clawback:
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, selected=True, title=f"환수 {days}일")
    return Clawback.objects.create(
        application=application,
        reason="collusion",
        government=1_000_000,
        sponsor=500_000,
        collected_government=200_000,
        due_on=TODAY + datetime.timedelta(days=days),
        status=status,
    )


def test_open_clawbacks_are_reminded_three_days_before_and_on_the_day():
    due = {days: clawback_due(days) for days in (-1, 0, 1, 3, 7)}
    clawback_due(3, status="uncollectable")

    reminders_send(today=TODAY)

    reminded = Notification.objects.filter(kind__startswith="reminder.clawback")
    assert {n.url for n in reminded} == {
        reverse("execution:my-spending", args=[due[days].application_id]) for days in (0, 3)
    }
    today = reminded.get(kind="reminder.clawback.due_today")
    assert "오늘 환수금 납부기한" in today.title and "1,300,000" in today.body
    assert today.user.company_id == due[0].application.company_id


def test_a_clawback_is_reminded_once_a_day():
    clawback_due(3)
    reminders_send(today=TODAY)
    reminders_send(today=TODAY)
    assert Notification.objects.filter(kind__startswith="reminder.clawback").count() == 1


def staff_with_pending(agency, *, lines=2, flagged=1):
    staff = UserFactory(role="staff", agency=agency)
    program = ProgramFactory(agency=agency)
    application = ApplicationFactory(program=program, selected=True)
    for index in range(lines):
        SpendingLineFactory(application=application, flagged=index < flagged, over_budget=index < flagged)
    return staff


def test_the_digest_tells_each_agencys_staff_what_awaits_review():
    ours = staff_with_pending(AgencyFactory(), lines=3, flagged=1)
    theirs = staff_with_pending(AgencyFactory(name="중소기업중앙회"), lines=1, flagged=0)
    UserFactory(ministry=True)

    told = spending_digest_send(today=TODAY)

    assert told == 2
    mine = Notification.objects.get(user=ours)
    assert "3건" in mine.title and "확인 필요 1건" in mine.body
    assert mine.url == reverse("execution:spending-queue")
    assert "1건" in Notification.objects.get(user=theirs).title


def test_the_digest_is_sent_once_per_iso_week():
    staff = staff_with_pending(AgencyFactory())
    assert spending_digest_send(today=TODAY) == 1
    assert spending_digest_send(today=TODAY + datetime.timedelta(days=2)) == 0  # Saturday, same week
    assert send_spending_digest(today=(TODAY + datetime.timedelta(days=4)).isoformat()) == 1  # next Monday
    assert Notification.objects.filter(user=staff).count() == 2


def test_no_digest_without_pending_lines():
    UserFactory(role="staff")
    SpendingLineFactory(status="approved", reviewed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    assert spending_digest_send(today=TODAY) == 0
    assert not Notification.objects.exists()


def test_the_beat_sends_the_digest_on_monday_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["execution-spending-digest"]
    assert entry["task"] == "execution.send_spending_digest"
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {9}
