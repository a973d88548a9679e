"""GET /metrics/ (config/metrics.py): Prometheus's figures for whoever holds METRICS_TOKEN, and a 404
like any unknown address for everyone else."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from funds.models import CostShareRequest
from reports.models import Report
from tests.factories import ApplicationFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-scrape-token"
pytestmark = pytest.mark.django_db


def scrape(client, token=TOKEN) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.status_code
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_without_a_token_configured_it_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics/").status_code == 404
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"])
def test_without_the_token_it_answers_like_an_unknown_address(client, settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics/", **headers)
    assert response.status_code == 404
    assert b"http_requests" not in response.content


def test_even_a_signed_in_official_needs_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.force_login(UserFactory(role="staff", is_superuser=True))
    assert client.get("/metrics/").status_code == 404


def test_requests_are_counted_by_route_name_never_by_raw_path(client, settings):
    settings.METRICS_TOKEN = TOKEN
    before = scrape(client)
    client.get("/health/")
    client.get("/no/such/page/12345/")
    after = scrape(client)
    health = ("http_requests_total", (("method", "GET"), ("route", "health"), ("status", "200")))
    unmatched = ("http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))
    assert after[health] - before.get(health, 0) == 1
    assert after[unmatched] - before.get(unmatched, 0) == 1
    assert not any("12345" in str(labels) for _, labels in after)
    queries = ("http_request_db_queries_count", (("route", "health"),))
    assert after[queries] - before.get(queries, 0) == 1
    # /health/ asks the database once (SELECT 1): the per-request query histogram saw it.
    assert after[("http_request_db_queries_sum", (("route", "health"),))] >= 1
    latency = ("http_request_duration_seconds_count", (("method", "GET"), ("route", "health")))
    assert after[latency] - before.get(latency, 0) == 1


def test_the_apps_backlogs_are_read_at_scrape_time(client, settings):
    settings.METRICS_TOKEN = TOKEN
    application = ApplicationFactory()
    CostShareRequest.objects.all().delete()
    Report.objects.all().delete()
    CostShareRequest.objects.create(application=application, created_at="2026-01-01T00:00:00+09:00")
    staff = UserFactory(role="staff")
    for status in ["pending", "pending", "running", "failed"]:
        Report.objects.create(kind="fund_status", format="xlsx", requested_by=staff, status=status)
    found = scrape(client)
    assert found[("funds_cost_share_outbox", ())] == 1
    assert (found[("reports_pending", ())], found[("reports_running", ())]) == (2, 1)


def test_no_queue_depth_when_tasks_run_in_process(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert not [key for key in scrape(client) if key[0] == "celery_queue_length"]


@pytest.mark.broker
def test_the_queue_depth_is_the_length_of_the_queue_in_redis(client, settings):
    settings.METRICS_TOKEN = TOKEN
    queue = f"test-metrics-{uuid.uuid4().hex[:10]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        broker.rpush(queue, "a", "b", "c")
        assert scrape(client)[("celery_queue_length", (("queue", queue),))] == 3
    finally:
        broker.delete(queue)


# Two processes of a gunicorn worker's kind, each counting its own requests into the shared directory.
MULTIPROCESS_PROBE = """
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
for _ in range({n}):
    client.get("/health/")
"""
SCRAPE_PROBE = """
import django; django.setup()
from django.test import Client
print(Client(HTTP_HOST="localhost").get("/metrics/", HTTP_AUTHORIZATION="Bearer {token}").content.decode())
"""


def test_several_worker_processes_are_summed_in_multiprocess_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
        METRICS_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    def run(code):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run(MULTIPROCESS_PROBE.format(n=2))
    run(MULTIPROCESS_PROBE.format(n=3))
    text = run(SCRAPE_PROBE.format(token=TOKEN))
    line = 'http_requests_total{method="GET",route="health",status="200"} 5.0'
    assert line in text, text
    # This scratch database has no tables: the apps' figures are left out, the scrape still answers.
    assert "funds_cost_share_outbox" not in text
