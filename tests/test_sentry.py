"""Errors reach Sentry only when SENTRY_DSN is set, tagged with the request id and without personal
data (config/sentry.py). The "Sentry" here is a small real HTTP server the test starts."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest

ROOT = Path(__file__).resolve().parent.parent

# A page that fails, served through the whole middleware stack, then Sentry's queue flushed.
FAILING_REQUEST = """
import django; django.setup()
import sentry_sdk
from django.test import Client
from django.test.utils import override_settings
print("active", sentry_sdk.get_client().is_active())
with override_settings(ROOT_URLCONF="tests.ops_urls"):
    response = Client(raise_request_exception=False, HTTP_HOST="localhost").get(
        "/ops-test/boom/?email=ceo@example.co.kr", HTTP_X_REQUEST_ID="sentry-probe-1",
        HTTP_COOKIE="sessionid=abc123", REMOTE_ADDR="203.0.113.9",
    )
print("status", response.status_code)
sentry_sdk.flush(timeout=10)
"""


class Recorder(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # sentry-sdk's choice when Brotli is installed (WeasyPrint brings it)
            body = brotli.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_address[1]}/42", Recorder.received
    server.shutdown()
    server.server_close()


def _run(**env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "SENTRY_DSN")
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", **env})
    return subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _events(envelopes: list[bytes]) -> list[dict]:
    """The error events among the envelopes' items (a header line, then header and payload pairs)."""
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_an_unhandled_error_reaches_sentry_with_the_request_id_and_no_personal_data(sentry_server):
    dsn, received = sentry_server
    result = _run(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging")
    assert "active True" in result.stdout and "status 500" in result.stdout, result.stderr
    events = _events(received)
    assert len(events) == 1, received
    event = events[0]
    assert event["tags"]["request_id"] == "sentry-probe-1"
    assert event["environment"] == "staging"
    assert event["exception"]["values"][-1]["value"] == "an unhandled error in a view"
    sent = json.dumps(event)
    assert "203.0.113.9" not in sent and "abc123" not in sent
    assert "user" not in event or "ip_address" not in event["user"]


def test_without_a_dsn_nothing_is_initialised_or_sent(sentry_server):
    _, received = sentry_server
    result = _run()
    assert "active False" in result.stdout and "status 500" in result.stdout, result.stderr
    assert received == []
