"""Two web nodes and a worker on different disks, one PostgreSQL, one Redis, one object store
(tests/nodes.py), driven over HTTP only (issue 16, item 2). A file, a report or a rate-limit count
that one process keeps to itself fails here: before object storage and a shared cache, a document
uploaded on node A was 404 on node B and 40 token requests over two nodes let 39 through.

Run: DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… pytest tests/test_two_nodes.py
"""

import ipaddress
import random
import time
import uuid

import pytest
import requests

from accounts.models import Role
from reports.tests.report_data import populated_program
from tests.factories import ApplicationFactory, UserFactory, token_headers
from tests.nodes import cluster_start, cluster_stop, document_upload, signed_in
from tests.workers import database_url, forget_queue

pytestmark = [pytest.mark.postgres, pytest.mark.broker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-42"  # tests/factories.py
PDF = b"%PDF-1.7\n" + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
TOKEN_RATE = 10  # API_TOKEN_RATE's default: 10/minute


@pytest.fixture
def cluster(tmp_path):
    import os

    broker = os.environ["CELERY_BROKER_URL"]
    started = cluster_start(
        tmp_path,
        database_url=database_url(),
        broker_url=broker,
        cache_url=broker,  # the same Redis; the count's key is the client address (unique per run)
        # One trusted proxy: the address in X-Forwarded-For is the client's (as the lock-out sees it).
        extra_env={"AXES_IPWARE_PROXY_COUNT": "1", "API_TOKEN_RATE": f"{TOKEN_RATE}/minute"},
    )
    yield started
    cluster_stop(started)
    forget_queue(started.queue, broker)


def _wait_done(url: str, headers: dict, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = requests.get(url, headers=headers, timeout=30).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"the report stayed {body['status']}")


def test_two_nodes_share_files_reports_and_rate_limits(cluster):
    node_a, node_b = cluster.nodes
    owner = UserFactory(applicant=True)
    draft = ApplicationFactory(company=owner.company, total_cost=150_000_000, plan="계획")

    # A document uploaded on node A downloads from node B, byte for byte.
    session = signed_in(node_a, owner.username, PASSWORD)
    uploaded = document_upload(session, node_a, draft.pk, "사업계획서.pdf", PDF)
    assert uploaded.status_code == 302, uploaded.text[:2000]
    attachment = draft.attachments.get()
    for node in (node_b, node_a):
        download = session.get(f"{node}/applications/{draft.pk}/attachments/{attachment.pk}/", timeout=30)
        assert download.status_code == 200, cluster.log_tail()
        assert download.content == PDF
    assert cluster.s3.read(cluster.bucket, attachment.file.name) == PDF
    assert not any(path.is_file() for disk in cluster.media for path in disk.rglob("*"))  # no local copy
    outsider = signed_in(node_b, UserFactory(applicant=True).username, PASSWORD)
    assert outsider.get(f"{node_a}/applications/{draft.pk}/attachments/{attachment.pk}/").status_code == 404

    # A report asked for on node A is made by the worker and downloads through both nodes.
    program = populated_program()
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    auth = token_headers(staff)
    asked = requests.post(
        f"{node_a}/api/v1/reports/",
        json={"kind": "program_status", "format": "xlsx", "program": program.pk},
        headers=auth,
        timeout=30,
    )
    assert asked.status_code == 202, asked.text
    report = _wait_done(f"{node_b}/api/v1/reports/{asked.json()['id']}/", auth)
    assert report["status"] == "done", (report["error"], cluster.log_tail())
    files = [
        requests.get(f"{node}/api/v1/reports/{report['id']}/download/", headers=auth, timeout=60)
        for node in (node_a, node_b)
    ]
    assert [answer.status_code for answer in files] == [200, 200]
    assert files[0].content == files[1].content and files[0].content.startswith(b"PK")
    assert not any(path.is_file() for disk in cluster.media for path in disk.rglob("*"))

    # The token endpoint's rate counts across both nodes: exactly TOKEN_RATE allowed in all. A new
    # username each time: the lock-out (5 failures of one username from one address) stays out of it.
    client = str(ipaddress.IPv6Address(random.getrandbits(64) | (0x20010DB8 << 96)))  # 2001:db8::/32
    answers = [
        requests.post(
            f"{cluster.nodes[i % 2]}/api/v1/auth/token/",
            data={"username": f"nobody-{i}", "password": "wrong"},
            headers={"X-Forwarded-For": client},
            timeout=30,
        ).status_code
        for i in range(TOKEN_RATE + 6)
    ]
    assert answers.count(429) == 6 and answers[:TOKEN_RATE] == [400] * TOKEN_RATE, answers
