"""Gunicorn started with config/gunicorn.py writes its own lines and its access lines as JSON through
LOGGING's one handler, the access line with the request's id (config/logs.py, config/request_id.py)."""

import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.workers import free_port, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent


def _get(port: int, path: str, **headers) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def test_gunicorn_writes_json_lines_and_its_access_line_carries_the_request_id(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", LOG_FORMAT="json")
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: _get(port, "/health/") == 200, timeout=30), log.read_text()
        _get(port, "/health/", **{"X-Request-ID": "gunicorn-probe-1"})
        wait_for(lambda: "gunicorn-probe-1" in log.read_text(), timeout=10)
    finally:
        stop(server)
    # Python's own warnings (a missing static directory in the tests) are printed by Python, not logged.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert any(
        line["request_id"] == "gunicorn-probe-1" and "GET /health/" in line["message"] for line in access
    )
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    assert all(set(line) >= {"time", "level", "logger", "message", "request_id"} for line in lines)
