"""A real Celery worker, connected to Redis and PostgreSQL, runs a task end to end."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from funds.models import CostShare
from funds.tasks import compute_cost_share
from tests.factories import ApplicationFactory

ROOT = Path(__file__).resolve().parent.parent


def _start_worker(queue: str) -> subprocess.Popen:
    env = dict(os.environ)
    # The worker must see the test database, not the one DATABASE_URL names.
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_in_a_real_worker():
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker = _start_worker(queue)
    try:
        result = compute_cost_share.apply_async(args=[application.pk], queue=queue)
        assert result.id
        done = _wait_for(lambda: CostShare.objects.filter(application=application).exists(), timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert done, f"the worker never stored the cost share; worker log:\n{output}"
    share = CostShare.objects.get(application=application)
    assert (share.government, share.sponsor, share.sme) == (30_000_000, 30_000_000, 40_000_001)
    assert "funds.compute_cost_share" in output and "succeeded" in output
