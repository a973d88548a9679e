"""Due-date reminders (SPEC §19, issue 18 item 4): D-3 and D-day, once per object, kind and day."""

import datetime
import threading

import pytest
from django.db import connection

from applicants.models import Application, ReminderSent
from applicants.services import reminders
from applicants.tasks import send_due_reminders
from program.models import Notification, OutgoingEmail
from tests.factories import ApplicationFactory, UserFactory

S = Application.Status
TODAY = datetime.date(2026, 12, 10)


def _due(days: int, *, status=S.CHANGES_REQUESTED, email="ceo@sme.kr"):
    owner = UserFactory(applicant=True, email=email)
    return ApplicationFactory(
        company=owner.company,
        status=status,
        changes_due_on=TODAY + datetime.timedelta(days=days),
        title=f"기한 {days}일",
    )


def _mails():
    return sorted((m.to, m.subject) for m in OutgoingEmail.objects.all())


@pytest.mark.django_db
def test_it_reminds_three_days_before_and_on_the_due_date_only():
    for days in (-1, 0, 1, 2, 3, 4, 14):
        _due(days, email=f"ceo{days + 1}@sme.kr")

    sent = reminders.reminders_send(today=TODAY)

    assert sent == 2
    assert _mails() == [
        ("ceo1@sme.kr", "[상생형 스마트공장] 기한 0일: 오늘 보완 기한"),
        ("ceo4@sme.kr", "[상생형 스마트공장] 기한 3일: 보완 기한 3일 전"),
    ]
    body = OutgoingEmail.objects.get(to="ceo4@sme.kr").body
    assert "보완 기한은 2026.\xa012.\xa013.입니다" in body
    assert sorted(ReminderSent.objects.values_list("kind", "day")) == [
        ("changes_requested.due_in_3_days", TODAY),
        ("changes_requested.due_today", TODAY),
    ]


@pytest.mark.django_db
def test_it_reminds_every_active_member_of_the_company():
    application = _due(0)
    UserFactory(applicant=True, company=application.company, email="staff@sme.kr")
    UserFactory(applicant=True, company=application.company, email="gone@sme.kr", is_active=False)

    reminders.reminders_send(today=TODAY)

    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == ["ceo@sme.kr", "staff@sme.kr"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.SCREENING, S.WITHDRAWN, S.REJECTED])
def test_it_does_not_remind_of_applications_no_longer_waiting_for_changes(status):
    _due(0, status=status)
    _due(3, status=status, email="other@sme.kr")

    assert reminders.reminders_send(today=TODAY) == 0
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_rerun_the_same_day_sends_nothing_and_the_next_step_is_sent_on_its_day():
    application = _due(3)
    assert send_due_reminders(TODAY.isoformat()) == 1
    assert send_due_reminders(TODAY.isoformat()) == 0
    assert OutgoingEmail.objects.count() == 1

    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=3)) == 1
    assert OutgoingEmail.objects.count() == 2
    assert ReminderSent.objects.filter(object_id=application.pk).count() == 2


@pytest.mark.django_db
def test_a_run_that_fails_sends_nothing_and_claims_nothing(monkeypatch):
    _due(0)

    def broken(notices):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(reminders, "notify_each", broken)
    with pytest.raises(RuntimeError):
        reminders.reminders_send(today=TODAY)
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    assert reminders.reminders_send(today=TODAY) == 1


@pytest.mark.django_db
def test_its_queries_do_not_grow_with_the_due_applications(django_assert_num_queries):
    """One query for the due applications and one for the reworks due, and per batch of a thousand: one
    claim, one for the members, one INSERT of the notices and one of the e-mails (notify_each), whatever
    the batch holds."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Application)  # cached from here on, as in a running worker
    _due(0)
    # The due applications; then the batch's savepoint, claim, members, notices, e-mails and release;
    # the reworks due, the agreements due (projects' source, none here) and the clawbacks due
    # (execution's source, none here).
    with django_assert_num_queries(10):
        assert reminders.reminders_send(today=TODAY) == 1
    assert Notification.objects.filter(kind__startswith="reminder.").count() == 1

    ReminderSent.objects.all().delete()
    for n in range(29):
        _due(3 if n % 2 else 0, email=f"ceo{n}@sme.kr")
    with django_assert_num_queries(10):
        assert reminders.reminders_send(today=TODAY) == 30
    assert Notification.objects.filter(kind__startswith="reminder.").count() == 31
    assert OutgoingEmail.objects.count() == 31


@pytest.mark.django_db
def test_the_beat_runs_it_daily_at_nine():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["applicants-due-reminders"]
    assert entry["task"] == "applicants.send_due_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({9}, {0})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(monkeypatch):
    applications = [_due(days, email=f"ceo{n}@sme.kr") for n, days in enumerate((0, 3, 0, 3, 0))]
    real = reminders.reminders_claim
    barrier = threading.Barrier(2, timeout=30)

    def claim_together(kinds, today):
        barrier.wait()  # both runs have read the due applications, neither has claimed
        return real(kinds, today)

    monkeypatch.setattr(reminders, "reminders_claim", claim_together)
    outcomes = []

    def run():
        try:
            outcomes.append(reminders.reminders_send(today=TODAY))
        except Exception as error:  # the test inspects every outcome
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [0, len(applications)], outcomes
    assert OutgoingEmail.objects.count() == len(applications)
    assert ReminderSent.objects.count() == len(applications)


@pytest.mark.django_db
def test_a_rework_after_the_completion_inspection_is_reminded_too():
    """A project sent back to building by request_rework (SPEC §17) carries its 보완 기한 there."""
    _due(3, status=S.BUILDING, email="maker@sme.kr")

    assert reminders.reminders_send(today=TODAY) == 1
    mail = OutgoingEmail.objects.get()
    assert mail.subject == "[상생형 스마트공장] 기한 3일: 보완 기한 3일 전"
    assert "완료점검을 다시 요청해 주세요" in mail.body
    assert list(ReminderSent.objects.values_list("kind", flat=True)) == ["rework.due_in_3_days"]
