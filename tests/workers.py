"""Real Celery workers for the integration tests: started as subprocesses on the test database and
a queue of the test's own, stopped (or killed) by the test."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests import slow_worker

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database (not the one DATABASE_URL names), as a URL a worker process can use."""
    db = connection.settings_dict
    auth = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    queue: str, log: Path, *, pauses: dict[str, float] | None = None, **env_overrides
) -> subprocess.Popen:
    """A solo-pool worker reading only `queue`, its output appended to `log`; `env_overrides`
    become its environment (e.g. CELERY_BROKER_URL, CELERY_VISIBILITY_TIMEOUT). `pauses` (seconds
    per point of tests.slow_worker.PAUSES) starts it through tests/slow_worker.py, which slows
    those steps so that the test can kill the worker there."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # What the worker itself enqueues (a scheduled task's reports) goes to this test's queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    env.update(env_overrides)
    celery_args = [
        "-A", "config", "worker", "-Q", queue, "--pool", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h",
    ]  # fmt: skip
    launcher = slow_worker.command(pauses, celery_args) if pauses else ["-m", "celery", *celery_args]
    command = [sys.executable, *launcher]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)


def stop(worker: subprocess.Popen) -> None:
    """SIGTERM (a warm shutdown), SIGKILL if it has not ended in 30 s. For any server a test started."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL: no warm shutdown, no acknowledgement, no rollback from the worker's side."""
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(predicate, timeout: float, every=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if every:
            every()
        if predicate():
            return True
        time.sleep(0.1)
    return False


def forget_queue(queue: str, broker_url: str | None = None) -> None:
    """Drop what a killed worker left in Redis for this test's queue (its unacknowledged message
    would otherwise be put back on a queue nobody reads, an hour later)."""
    import redis

    client = redis.Redis.from_url(broker_url or os.environ["CELERY_BROKER_URL"])
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)
