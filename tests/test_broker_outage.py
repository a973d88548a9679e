"""A real Redis stopped and started again by the test, with a real worker: while it is down SMEs
save and submit, staff select and request a report; nothing is lost, and once Redis is back the
sweepers send the kept work and the worker does it, once.

The test runs its own `redis-server` on a free port (the suite's shared Redis stays up for the
other tests) and points both the app and its worker at it.
"""

import datetime
import functools
import shutil
import subprocess
import uuid

import kombu.pools
import pytest
import redis
from django.utils import timezone

from applicants.models import Application
from config.celery import app as celery_app
from funds.models import CostShare, CostShareRequest, LedgerEntry
from funds.outbox import cost_share_sweep
from funds.tasks import compute_cost_share
from reports.models import Report
from reports.runs import report_sweep
from reports.tasks import generate_report
from tests.factories import DECLARATIONS_FORM, ApplicationFactory, ProgramFactory, UserFactory, fund_program
from tests.workers import free_port, start_worker, stop, wait_for

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Application.Status
LATER = datetime.timedelta(minutes=2)  # past both sweepers' grace period


class PrivateRedis:
    """A redis-server of this test's own, without persistence, that the test stops and starts."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


def _drop_pools() -> None:
    """Make the app's producer connect afresh to whatever broker URL is now configured: kombu's
    shared connection and producer pools are closed and forgotten, and so are the app's handles."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path, settings, monkeypatch):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    settings.CELERY_BROKER_URL = server.url
    _drop_pools()
    yield server
    monkeypatch.undo()
    _drop_pools()
    if server.process.poll() is None:
        server.stop()


def test_with_redis_stopped_smes_and_staff_go_on_and_the_work_runs_once_it_is_back(
    private_redis, client, monkeypatch, tmp_path
):
    queue = f"test-outage-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    for task in (compute_cost_share, generate_report):
        monkeypatch.setattr(task, "apply_async", functools.partial(task.apply_async, queue=queue))

    program = ProgramFactory()
    fund_program(program, sponsor=10**9, government=10**9)
    owner = UserFactory(applicant=True)
    drafted = ApplicationFactory(company=owner.company, program=program, total_cost=None, documents=True)
    chosen = ApplicationFactory(program=program, total_cost=200_000_000, evaluation=True)
    staff = UserFactory(username="officer")

    worker = start_worker(queue, log, CELERY_BROKER_URL=private_redis.url)
    try:
        assert wait_for(lambda: "ready" in log.read_text(), timeout=60), log.read_text()
        private_redis.stop()

        # Redis is down. The SME saves its plan and submits; every request succeeds.
        client.force_login(owner)
        saved = client.post(f"/apply/{drafted.pk}/plan/", {"plan": "MES 도입", "total_cost": "150,000,000"})
        assert saved.status_code == 302
        assert client.post(f"/apply/{drafted.pk}/review/", DECLARATIONS_FORM).status_code == 302
        drafted.refresh_from_db()
        assert drafted.status == S.SUBMITTED and drafted.total_cost == 150_000_000
        assert not CostShare.objects.filter(application=drafted).exists()  # its task could not be sent

        # Staff select (the pots are committed in the request itself) and ask for a report.
        client.force_login(staff)
        selected = client.post(f"/staff/applications/{chosen.pk}/transition/", {"action": "select"})
        assert selected.status_code == 302
        chosen.refresh_from_db()
        assert chosen.status == S.SELECTED
        commitments = LedgerEntry.objects.filter(application=chosen, kind=LedgerEntry.Kind.COMMITMENT)
        assert commitments.count() == 2
        requested = client.post(
            "/api/v1/reports/",
            {"kind": "program_status", "format": "xlsx", "program": program.pk},
            content_type="application/json",
        )
        assert requested.status_code == 202, requested.content
        report = Report.objects.get(pk=requested.json()["id"])
        assert report.status == Report.Status.PENDING

        health = client.get("/health/").json()
        assert health["broker"] != "ok"
        kept = set(CostShareRequest.objects.values_list("application_id", flat=True))
        assert kept == {drafted.pk, chosen.pk}

        # Still down: the sweepers send nothing and lose nothing.
        assert cost_share_sweep(now=timezone.now() + LATER)["broker"] == "down"
        report_sweep(now=timezone.now() + LATER)
        assert CostShareRequest.objects.count() == 2
        assert Report.objects.get(pk=report.pk).status == Report.Status.PENDING

        # Redis is back (empty: it kept nothing on disk). The beat's sweepers send what was kept;
        # the same worker, which waited for its broker, does the work.
        private_redis.start()
        assert cost_share_sweep(now=timezone.now() + LATER) == {"sent": 2, "left": 0, "broker": "up"}
        report_sweep(now=timezone.now() + LATER)
        assert wait_for(lambda: CostShare.objects.filter(application=drafted).exists(), timeout=90), (
            log.read_text()
        )
        assert wait_for(
            lambda: Report.objects.get(pk=report.pk).status in (Report.Status.DONE, Report.Status.FAILED),
            timeout=90,
        ), log.read_text()
        assert wait_for(lambda: log.read_text().count("funds.compute_cost_share") >= 4, timeout=30)
    finally:
        stop(worker)

    share = CostShare.objects.get(application=drafted)
    assert (share.total, share.government + share.sponsor + share.sme) == (150_000_000, 150_000_000)
    assert CostShare.objects.filter(application=chosen).count() == 1
    assert CostShare.objects.get(application=chosen).total == 200_000_000
    assert not CostShareRequest.objects.exists()
    assert commitments.count() == 2  # the redelivered work committed nothing twice
    assert Report.objects.get(pk=report.pk).status == Report.Status.DONE
    assert Report.objects.get(pk=report.pk).file


def test_with_redis_stopped_a_sign_up_succeeds_and_its_mail_goes_once_redis_is_back(
    private_redis, client, monkeypatch, tmp_path
):
    """The e-mail outbox (program/outbox.py) through the same outage: the mail waits in its row."""
    from program.models import OutgoingEmail
    from program.outbox import email_sweep
    from program.tasks import email_send
    from program.tests.smtp import MailServer

    server = MailServer()
    server.start()
    queue = f"test-mail-outage-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(email_send, "apply_async", functools.partial(email_send.apply_async, queue=queue))
    log = tmp_path / "worker.log"
    smtp = {name: str(value) for name, value in server.settings().items()}
    worker = start_worker(
        queue, log, CELERY_BROKER_URL=private_redis.url, TEST_EMAIL_BACKEND=smtp.pop("EMAIL_BACKEND"), **smtp
    )
    try:
        assert wait_for(lambda: "ready" in log.read_text(), timeout=60), log.read_text()
        private_redis.stop()

        signed_up = client.post(
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
        assert signed_up.status_code == 302
        row = OutgoingEmail.objects.get()
        assert (row.to, row.status, row.attempts) == ("kim@hanbit.example", OutgoingEmail.Status.PENDING, 0)
        assert email_sweep(now=timezone.now() + LATER) == {"sent": 0, "left": 1, "broker": "down"}

        private_redis.start()
        assert email_sweep(now=timezone.now() + LATER) == {"sent": 1, "left": 0, "broker": "up"}
        sent = wait_for(lambda: OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT, timeout=90)
        assert sent, log.read_text()
        assert email_sweep(now=timezone.now() + LATER)["sent"] == 0
    finally:
        stop(worker)
        server.stop()
    assert server.recipients == ["kim@hanbit.example"]
    assert "/apply/signup/activate/" in server.received[0].get_content()
