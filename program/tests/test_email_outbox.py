"""The e-mail outbox (program/outbox.py): mail goes at commit, one row per recipient; an SMTP or a
broker outage delays it and loses nothing; nothing is sent twice.

Tasks run in-process here (`eager_tasks`), even where a real broker is configured; the mail server is
a real one (program/tests/smtp.py) where an outage matters, Django's locmem outbox elsewhere.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from program import tasks
from program.models import OutgoingEmail
from program.notifications import notify, notify_address
from program.outbox import CLAIM_LEASE, SWEEP_GRACE, email_backoff, email_deliver, email_sweep
from program.tasks import email_send
from program.tests.smtp import MailServer
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Status = OutgoingEmail.Status
SUBJECT = "[상생형 스마트공장] 신청서가 제출되었습니다"


@pytest.fixture
def mail_server(settings):
    """A real SMTP server, not started yet: Django's SMTP backend pointed at its closed port."""
    server = MailServer()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


def later(seconds: float) -> datetime.datetime:
    """A sweep's `now` this long after now, past the grace period."""
    return timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=seconds + 1)


def test_it_sends_one_mail_per_recipient_when_the_transaction_commits(django_capture_on_commit_callbacks):
    users = [
        UserFactory(email="ceo@sme.kr"),
        UserFactory(email="officer@agency.kr"),
        UserFactory(email="gone@sme.kr", is_active=False),
        UserFactory(email=""),
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        notify(subject=SUBJECT, body="본문", users=users)
        rows = OutgoingEmail.objects.order_by("to")
        assert [(row.to, row.status) for row in rows.all()] == [
            ("ceo@sme.kr", Status.PENDING),
            ("officer@agency.kr", Status.PENDING),
        ]
        assert not mail.outbox  # nothing before the commit
    for callback in callbacks:
        callback()

    assert sorted(message.to[0] for message in mail.outbox) == ["ceo@sme.kr", "officer@agency.kr"]
    assert all(len(message.to) == 1 and message.subject == SUBJECT for message in mail.outbox)
    assert [(row.status, row.attempts, row.last_error) for row in rows.all()] == [(Status.SENT, 1, "")] * 2
    assert all(row.sent_at is not None for row in rows.all())


def test_a_rolled_back_change_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_address(subject=SUBJECT, body="본문", address="ceo@sme.kr")
            raise RuntimeError("the change failed after the notification")
    assert not OutgoingEmail.objects.exists()
    assert not mail.outbox


def test_an_smtp_outage_keeps_the_mail_and_it_goes_once_the_server_is_back(
    mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(
            subject=SUBJECT, body="가입을 마치려면 링크를 눌러 주세요", address="kim@hanbit.example"
        )

    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts, row.sent_at) == (Status.PENDING, 1, None)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=email_backoff(1) - 5)

    # The task's own retry is due first; the sweeper leaves the row to it until it is overdue.
    assert email_sweep()["sent"] == 0
    # Still down when the sweeper's turn comes: a second attempt, counted, a longer wait.
    assert email_sweep(now=later(email_backoff(1))) == {"sent": 1, "left": 0, "broker": "up"}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 2)

    mail_server.start()
    assert email_sweep(now=later(email_backoff(2)))["sent"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 3)
    assert mail_server.recipients == ["kim@hanbit.example"]
    (message,) = mail_server.received
    assert message["Subject"].strip() == SUBJECT  # folded after "Subject:", as Django encodes it
    assert "링크를 눌러" in message.get_content()

    # Sent is sent: neither a later sweep nor a redelivered task sends it again.
    assert email_sweep(now=later(3600))["sent"] == 0
    assert email_send.delay(row.pk).get() == "skipped"
    assert len(mail_server.received) == 1


def test_the_last_failed_attempt_fails_the_mail_and_the_admin_sends_it_again(
    mail_server, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(subject=SUBJECT, body="본문", address="kim@hanbit.example")
    email_sweep(now=later(email_backoff(1)))
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert "Connection refused" in row.last_error
    assert email_sweep(now=later(3600))["sent"] == 0  # failed rows are not swept

    mail_server.start()
    changelist = reverse("admin:program_outgoingemail_changelist")
    assert admin_client.get(changelist, {"status__exact": "failed"}).context["cl"].result_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(changelist, {"action": "resend", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert mail_server.recipients == ["kim@hanbit.example"]


def test_a_task_delivered_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(subject=SUBJECT, body="본문", address="ceo@sme.kr")
    row = OutgoingEmail.objects.get()

    assert email_send.delay(row.pk).get() == "skipped"
    assert email_deliver(email_id=row.pk).outcome == "skipped"
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_a_live_delivery_is_left_to_it_and_a_dead_ones_claim_expires():
    row = OutgoingEmail.objects.create(to="ceo@sme.kr", subject=SUBJECT, body="본문")
    OutgoingEmail.objects.filter(pk=row.pk).update(claimed_at=timezone.now())
    assert email_deliver(email_id=row.pk).outcome == "skipped"
    assert email_sweep(now=later(0))["sent"] == 0
    assert not mail.outbox

    # The worker that claimed it died (no `sent`, no error): once its lease is over the sweeper sends it.
    OutgoingEmail.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(seconds=1)
    )
    assert email_sweep(now=later(0))["sent"] == 1
    assert [message.to for message in mail.outbox] == [["ceo@sme.kr"]]
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_subject_no_mail_server_accepts_fails_at_once():
    row = OutgoingEmail.objects.create(to="ceo@sme.kr", subject="제목\n Bcc: all@sme.kr", body="본문")
    assert email_deliver(email_id=row.pk).outcome == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert row.last_error.startswith("BadHeaderError")
    assert not mail.outbox


def test_with_the_broker_down_the_request_succeeds_and_the_sweeper_sends_the_mail_later(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as patch:
        patch.setattr(email_send, "apply_async", _refuse)  # Redis stopped
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/apply/signup/",
                {
                    "username": "hanbit",
                    "first_name": "김한빛",
                    "email": "kim@hanbit.example",
                    "password1": "sturdy-gear-2026",
                    "password2": "sturdy-gear-2026",
                    "privacy": "on",  # 개인정보 수집·이용 동의 (SPEC §20)
                },
            )
        assert response.status_code == 302
        assert "unreachable" in caplog.text
        row = OutgoingEmail.objects.get()
        assert (row.to, row.status, row.attempts) == ("kim@hanbit.example", Status.PENDING, 0)
        assert email_sweep(now=later(0)) == {"sent": 0, "left": 1, "broker": "down"}
    assert not mail.outbox

    # Too fresh: its own transaction's send may still be on its way.
    assert email_sweep()["sent"] == 0
    assert email_sweep(now=later(0)) == {"sent": 1, "left": 0, "broker": "up"}
    assert [message.to for message in mail.outbox] == [["kim@hanbit.example"]]
    assert email_sweep(now=later(3600))["sent"] == 0


def test_a_broker_refusal_stops_the_sends_and_keeps_the_rest(monkeypatch, django_capture_on_commit_callbacks):
    users = [UserFactory(email=f"officer{i}@agency.kr") for i in range(3)]
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        _refuse()

    monkeypatch.setattr(email_send, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify(subject=SUBJECT, body="본문", users=users)
    assert len(calls) == 1  # not a second wait for a broker already known down
    assert OutgoingEmail.objects.filter(status=Status.PENDING).count() == 3


def test_the_sweeper_is_on_the_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["program-email-sweep"]["task"] == tasks.email_sweep.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_the_same_moment_send_once(mail_server):
    """Two workers given the same task at once (a redelivery while the first still runs): the second
    comes while the first is still talking to the (slow) mail server, and leaves the row to it."""
    mail_server.delay = 1.0
    mail_server.start()
    row = OutgoingEmail.objects.create(to="ceo@sme.kr", subject=SUBJECT, body="본문")
    start = threading.Barrier(2)
    outcomes = []

    def deliver():
        start.wait()
        try:
            outcomes.append(email_deliver(email_id=row.pk).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert mail_server.recipients == ["ceo@sme.kr"]


def _refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_the_database_refuses_a_sent_mail_without_its_time():
    row = OutgoingEmail.objects.create(to="ceo@sme.kr", subject=SUBJECT, body="본문")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.filter(pk=row.pk).update(status=Status.SENT)


def test_many_mails_at_once_go_through_one_task_that_sends_each_ones(
    monkeypatch, django_capture_on_commit_callbacks
):
    from program.outbox import FAN_OUT_ABOVE, email_queue_each

    published = []
    real = tasks.email_send_each.apply_async
    monkeypatch.setattr(
        tasks.email_send_each, "apply_async", lambda *a, **kw: published.append(kw["args"]) or real(*a, **kw)
    )
    many = [f"ceo{n}@sme.kr" for n in range(FAN_OUT_ABOVE + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        rows = email_queue_each(emails=[(SUBJECT, "본문", many[:10]), (SUBJECT, "본문", many[10:])])

    assert published == [[[row.pk for row in rows]]]  # one publish for them all (its args: the ids)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(many)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.SENT}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email_queue_each(emails=[(SUBJECT, "본문", many[:FAN_OUT_ABOVE])])
    assert len(published) == 1 and len(mail.outbox) == FAN_OUT_ABOVE  # a task each, as before


def test_many_mails_with_the_broker_down_wait_for_the_sweeper(
    monkeypatch, django_capture_on_commit_callbacks
):
    from program.outbox import FAN_OUT_ABOVE, email_queue_each

    monkeypatch.setattr(tasks.email_send_each, "apply_async", _refuse)
    many = [f"ceo{n}@sme.kr" for n in range(FAN_OUT_ABOVE + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        email_queue_each(emails=[(SUBJECT, "본문", many)])  # no error: the rows wait

    assert not mail.outbox
    assert OutgoingEmail.objects.filter(status=Status.PENDING).count() == len(many)
    monkeypatch.undo()
    email_sweep(now=later(0))
    assert len(mail.outbox) == len(many)
