"""Every log line carries its time, level, logger and the request id; a task enqueued by a request
logs under the same id, in a real worker as in-process (config/logs.py, config/request_id.py)."""

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from config import request_id
from config.logs import JsonLineFormatter, logging_config
from funds.models import CostShare
from tests.factories import ApplicationFactory
from tests.workers import start_worker, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent


def test_a_request_gets_an_id_in_its_response(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_a_well_formed_incoming_id_is_kept(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="lb-7f3a:0042.x_y")
    assert response["X-Request-ID"] == "lb-7f3a:0042.x_y"


@pytest.mark.parametrize("sent", ["", "a" * 65, "evil\nline", "<script>", "id with spaces"])
def test_a_malformed_incoming_id_is_replaced(client, sent):
    response = client.get("/health/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_the_id_does_not_outlive_its_request(client):
    client.get("/health/", HTTP_X_REQUEST_ID="over-after-this")
    assert request_id.current() is None


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


def test_a_json_line_has_time_level_logger_message_id_and_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "funds.outbox", logging.ERROR, __file__, 1, "sent %s", ("twice",), sys.exc_info()
        )
    record.request_id = "r-1"
    line = json.loads(JsonLineFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "funds.outbox" and line["message"] == "sent twice"
    assert line["request_id"] == "r-1"
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert "ValueError: broken" in line["exc_info"]


# A request that logs (django.request logs 404s and 500s) in a process with LOG_FORMAT=json.
REQUESTS_PROBE = """
import django; django.setup()
from django.test import Client
from django.test.utils import override_settings
client = Client(raise_request_exception=False, HTTP_HOST="localhost")
with override_settings(ROOT_URLCONF="tests.ops_urls"):
    client.get("/nowhere-at-all/", HTTP_X_REQUEST_ID="probe-404")
    client.get("/ops-test/boom/", HTTP_X_REQUEST_ID="probe-500")
"""


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_json_logs_carry_the_request_id_of_the_request_that_logged():
    result = _run(REQUESTS_PROBE, LOG_FORMAT="json")
    lines = _json_lines(result.stderr)
    assert result.returncode == 0, result.stderr
    by_id = {line["request_id"]: line for line in lines if line["logger"] == "django.request"}
    assert by_id["probe-404"]["level"] == "WARNING" and "/nowhere-at-all/" in by_id["probe-404"]["message"]
    assert by_id["probe-500"]["level"] == "ERROR"
    assert "RuntimeError: an unhandled error in a view" in by_id["probe-500"]["exc_info"]
    assert all(set(line) >= {"time", "level", "logger", "message", "request_id"} for line in lines)


def test_text_logs_carry_the_request_id_too():
    result = _run(REQUESTS_PROBE, LOG_FORMAT="text")
    assert result.returncode == 0, result.stderr
    assert "WARNING django.request [probe-404] Not Found: /nowhere-at-all/" in result.stderr


SETTINGS_PROBE = "import django; django.setup(); from django.conf import settings; print(settings.LOG_FORMAT)"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "p9#x2!vL0q@Zr7$kT4wN8&bF1^mH6*eJ3(cY5)uA0-sD9_gK2+",
    "ALLOWED_HOSTS": "smartfactory.example.go.kr",
}


def test_production_logs_json_and_development_text_by_default():
    environment = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    local = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
    )
    production = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env={**environment, **PRODUCTION},
        capture_output=True,
        text=True,
    )
    assert (local.stdout.split()[-1], production.stdout.split()[-1]) == ("text", "json"), (
        local.stderr + production.stderr
    )


@pytest.mark.django_db(transaction=True)  # on_commit runs at the commit, inside the request
@pytest.mark.urls("tests.ops_urls")
def test_a_task_run_in_process_logs_under_the_id_of_its_request(client, eager_tasks, caplog):
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    caplog.handler.addFilter(request_id.RequestIdFilter())
    caplog.set_level(logging.INFO, logger="celery.app.trace")
    client.get(f"/ops-test/enqueue/{application.pk}/?queue=celery", HTTP_X_REQUEST_ID="eager-1")
    succeeded = [
        r
        for r in caplog.records
        if "funds.compute_cost_share" in r.getMessage() and "succeeded" in r.getMessage()
    ]
    assert CostShare.objects.filter(application=application).exists()
    assert [r.request_id for r in succeeded] == ["eager-1"]


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.ops_urls")
def test_a_real_worker_logs_a_task_under_the_id_of_the_request_that_enqueued_it(client, tmp_path):
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    queue = f"test-logs-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log, LOG_FORMAT="json")
    try:
        response = client.get(
            f"/ops-test/enqueue/{application.pk}/?queue={queue}", HTTP_X_REQUEST_ID="via-redis-1"
        )
        assert response.status_code == 200
        done = wait_for(lambda: CostShare.objects.filter(application=application).exists(), timeout=60)
        # The "succeeded" line follows the stored row by a moment.
        wait_for(lambda: "succeeded" in log.read_text(), timeout=10)
    finally:
        stop(worker)
    output = log.read_text()
    assert done, f"the worker never stored the cost share; worker log:\n{output}"
    lines = _json_lines(output)
    task_lines = [
        line
        for line in lines
        if "funds.compute_cost_share" in line["message"] and "succeeded" in line["message"]
    ]
    assert task_lines, output
    assert [line["request_id"] for line in task_lines] == ["via-redis-1"]
    # The worker's own lines (start-up, not a task's) carry no id.
    assert any(line["request_id"] is None for line in lines)
