"""The rate limits count in the shared cache (CACHE_URL): two processes serving one client address
see one count. Each process is a Django of its own (settings read from the environment), pointed
at a redis-server this test starts, so the suite's shared Redis is left alone."""

import os
import shutil
import subprocess
import sys

import pytest
import redis

from tests.workers import ROOT, free_port, stop, wait_for

# One web process: the token endpoint asked `count` times by one client address, wrong credentials
# (the lock-out is off: only the rate answers 429). Prints the statuses.
PROCESS = """
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
body = {"username": "nobody", "password": "wrong"}
answers = [client.post("/api/v1/auth/token/", body, REMOTE_ADDR="203.0.113.9").status_code
           for _ in range(int(sys.argv[1]))]
print(" ".join(map(str, answers)))
"""


@pytest.fixture
def redis_url(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"

    def answers():
        try:
            return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    assert wait_for(answers, timeout=10), "redis-server did not start"
    yield url
    stop(server)


def _environment(tmp_path, cache_url):
    env = {key: value for key, value in os.environ.items() if key not in {"CACHE_URL", "API_TOKEN_RATE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        AXES_ENABLED="false",
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def _run(env, *args):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout.strip()


def _two_processes(env) -> tuple[list[int], list[int]]:
    _run(env, sys.executable, "manage.py", "migrate", "--noinput", "-v", "0")
    first = _run(env, sys.executable, "-c", PROCESS, "6")
    second = _run(env, sys.executable, "-c", PROCESS, "6")
    return [int(s) for s in first.split()], [int(s) for s in second.split()]


def test_two_processes_share_the_token_rate_through_the_cache(redis_url, tmp_path):
    first, second = _two_processes(_environment(tmp_path, redis_url))
    assert first == [400] * 6
    assert second == [400] * 4 + [429] * 2  # 10/minute across both


def test_without_a_cache_url_each_process_counts_alone(tmp_path):
    """The embedded default (the demo): local memory, a count per process."""
    first, second = _two_processes(_environment(tmp_path, None))
    assert first == second == [400] * 6
