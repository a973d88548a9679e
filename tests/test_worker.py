"""A real Celery worker, connected to Redis and PostgreSQL, runs a task end to end."""

import functools
import uuid

import pytest

from funds.models import CostShare
from funds.tasks import compute_cost_share
from tests.factories import ApplicationFactory
from tests.workers import start_worker, stop, wait_for


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_in_a_real_worker(tmp_path):
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        result = compute_cost_share.apply_async(args=[application.pk], queue=queue)
        assert result.id
        done = wait_for(lambda: CostShare.objects.filter(application=application).exists(), timeout=60)
    finally:
        stop(worker)
    output = log.read_text()
    assert done, f"the worker never stored the cost share; worker log:\n{output}"
    share = CostShare.objects.get(application=application)
    assert (share.government, share.sponsor, share.sme) == (30_000_000, 30_000_000, 40_000_001)
    assert "funds.compute_cost_share" in output and "succeeded" in output


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_notification_goes_out_through_a_real_worker_which_retries_until_the_mail_server_answers(
    tmp_path, monkeypatch
):
    from program.models import OutgoingEmail
    from program.notifications import notify_address
    from program.tasks import email_send
    from program.tests.smtp import MailServer

    server = MailServer()  # not started: the worker's first tries are refused
    queue = f"test-mail-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(email_send, "apply_async", functools.partial(email_send.apply_async, queue=queue))
    log = tmp_path / "worker.log"
    smtp = {name: str(value) for name, value in server.settings().items()}
    worker = start_worker(
        queue, log, TEST_EMAIL_BACKEND=smtp.pop("EMAIL_BACKEND"), EMAIL_RETRY_BACKOFF="1", **smtp
    )
    try:
        notify_address(subject="[상생형 스마트공장] 알림", body="본문", address="ceo@sme.kr")
        row = OutgoingEmail.objects.get()
        assert wait_for(lambda: OutgoingEmail.objects.get().attempts >= 2, timeout=60), log.read_text()
        server.start()
        sent = wait_for(lambda: OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT, timeout=60)
    finally:
        stop(worker)
        server.stop()
    output = log.read_text()
    assert sent, output
    row.refresh_from_db()
    assert row.attempts >= 3 and row.sent_at is not None
    assert "ConnectionRefusedError" in row.last_error  # what the failed tries met, kept
    assert server.recipients == ["ceo@sme.kr"]
    assert "program.email_send" in output and "retry" in output.lower()
