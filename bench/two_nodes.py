"""A load run across two web nodes (issue 16): do writes that answer success land exactly once?

    DATABASE_URL=postgres://…/scratch CELERY_BROKER_URL=redis://…/n \
        python -m bench.two_nodes --clients 8 --seconds 60

Starts what tests/nodes.py starts (an S3-protocol server, two gunicorn nodes on disks of their own,
one Celery worker) against a scratch PostgreSQL database (migrated here; the rows it adds are left)
and one Redis, then runs `--clients` threads for `--seconds`, each alternating nodes request by
request, in a mix of:
  - 70 %: an applicant uploads a document (a unique name) on one node, then downloads it from the
    other and compares the bytes;
  - 30 %: staff ask for a report through the API (202 and its id); the worker makes it.
Every upload that answered 302 and every report that answered 202 is looked for afterwards in the
database: exactly once (by its unique name / id), its object in the bucket, each report finished.
Prints requests, errors and p50/p95 per node, writes confirmed, duplicates, missing; exits 1 on any
error, duplicate or missing write. Not part of CI (`make bench-two-nodes`).

This machine has 2 cores for everything (both nodes, the worker, PostgreSQL, Redis, the object
store and the clients): the run shows correctness under concurrency across nodes, not a throughput
gain from a second node.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

KINDS = ["business_registration", "financial_statements", "quote", "business_plan"]
PASSWORD = "correct-horse-42"  # noqa: S105 (tests/factories.py: every bench user's)
PER_DRAFT = 20  # Attachment.MAX_PER_APPLICATION, 5 per kind


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def prepare(clients: int, drafts_per_client: int) -> dict:
    """Per client, an applicant with `drafts_per_client` drafts (room for PER_DRAFT documents each);
    one staff user with an API token and a program to report on."""
    from accounts.models import Role
    from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, api_token_key

    _sequences_past_earlier_runs()
    program = ProgramFactory()
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    users = []
    for _ in range(clients):
        owner = UserFactory(applicant=True)
        drafts = [
            ApplicationFactory(company=owner.company, program=program if not i else ProgramFactory()).pk
            for i in range(drafts_per_client)
        ]
        users.append({"username": owner.username, "drafts": drafts})
    return {"users": users, "token": api_token_key(staff), "program": program.pk}


def _sequences_past_earlier_runs() -> None:
    """The factories number names from 0 in every process; the scratch database keeps earlier runs'
    rows, so this run's numbers start where no earlier run's can be (unique names stay unique)."""
    import itertools

    import factory

    from tests import factories

    start = int(time.time()) % 800_000 * 1000  # a new thousand every second
    factories._numbers = itertools.count(100_000_001 + start)  # business numbers (9 digits + check)
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            value.reset_sequence(start, force=True)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.error_samples: list[str] = []
        self.uploads: list[tuple[int, str]] = []  # (application id, unique name) answered 302
        self.reports: list[int] = []  # ids answered 202

    def timed(self, node: str, call, expect: int):
        started = time.monotonic()
        try:
            answer = call()
        except Exception as error:  # a refused connection, a timeout: an error of this node
            self.error(node, f"{getattr(call, 'func', call).__name__}: {type(error).__name__}: {error}")
            return None
        with self.lock:
            self.latency[node].append((time.monotonic() - started) * 1000)
        if answer.status_code != expect:
            self.error(node, f"{answer.status_code} (expected {expect}) {answer.url}: {answer.text[:200]}")
            return None
        return answer

    def error(self, node: str, message: str) -> None:
        with self.lock:
            self.errors[node] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{node}: {message}")


def _client(nodes, user, token, program, recorder: Recorder, stop_at: float, seed: int) -> None:
    from django.db import connection

    try:
        _scenarios(nodes, user, token, program, recorder, stop_at, seed)
    finally:
        connection.close()


def _scenarios(nodes, user, token, program, recorder: Recorder, stop_at: float, seed: int) -> None:
    import requests

    from tests.nodes import document_upload, signed_in

    rng = random.Random(seed)  # noqa: S311 (a mix of scenarios, not a secret)
    session = signed_in(nodes[seed % 2], user["username"], PASSWORD)
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"
    drafts, used, turn = list(user["drafts"]), 0, seed
    while time.monotonic() < stop_at:
        here, there = nodes[turn % 2], nodes[(turn + 1) % 2]
        turn += 1
        if rng.random() < 0.7 and drafts:
            draft, kind = drafts[0], KINDS[used % len(KINDS)]
            used += 1
            if used == PER_DRAFT:
                drafts, used = drafts[1:], 0
            name = f"doc-{uuid.uuid4().hex}.pdf"
            content = b"%PDF-1.7\n" + name.encode() + b"\n%%EOF\n"
            upload = functools.partial(document_upload, session, here, draft, name, content, kind)
            answer = recorder.timed(here, upload, expect=302)
            if answer is None:
                continue
            with recorder.lock:
                recorder.uploads.append((draft, name))
            _download_check(session, there, draft, name, content, recorder)
        else:
            body = {"kind": "applications_export", "format": "csv", "program": program}
            ask = functools.partial(api.post, f"{here}/api/v1/reports/", json=body, timeout=60)
            answer = recorder.timed(here, ask, expect=202)
            if answer is not None:
                with recorder.lock:
                    recorder.reports.append(answer.json()["id"])


def _download_check(session, node, draft, name, content, recorder: Recorder) -> None:
    from applicants.models import Attachment

    attachment = Attachment.objects.filter(application_id=draft, original_name=name).only("pk").first()
    if attachment is None:
        recorder.error(node, f"upload {name} answered 302 but has no row")
        return
    url = f"{node}/applications/{draft}/attachments/{attachment.pk}/"
    answer = recorder.timed(node, functools.partial(session.get, url, timeout=60), expect=200)
    if answer is not None and answer.content != content:
        recorder.error(node, f"download of {name} differs")


def verify(recorder: Recorder, bucket_keys: set[str], wait_reports: float) -> dict:
    from applicants.models import Attachment
    from reports.models import Report

    names = [name for _, name in recorder.uploads]
    found = Counter(
        Attachment.objects.filter(original_name__in=names).values_list("original_name", flat=True)
    )
    stored = Attachment.objects.filter(original_name__in=names).values_list("file", flat=True)
    deadline = time.monotonic() + wait_reports
    while time.monotonic() < deadline:
        if not Report.objects.filter(pk__in=recorder.reports, status__in=["pending", "running"]).exists():
            break
        time.sleep(1)
    reports = Counter(Report.objects.filter(pk__in=recorder.reports).values_list("status", flat=True))
    return {
        "uploads": len(names),
        "uploads_found_once": sum(1 for name in names if found[name] == 1),
        "uploads_duplicated": sum(1 for name in names if found[name] > 1),
        "uploads_missing": sum(1 for name in names if found[name] == 0),
        "objects_missing": sum(1 for key in stored if key not in bucket_keys),
        "reports": len(recorder.reports),
        "reports_found": sum(reports.values()),
        "reports_done": reports.get("done", 0),
        "reports_not_done": sum(reports.values()) - reports.get("done", 0),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def print_table(nodes, recorder: Recorder, checked: dict, seconds: float, out=print) -> int:
    out(f"\n{'node':<24}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}")
    for label, node in zip(("A", "B"), nodes, strict=True):
        times = recorder.latency[node]
        out(
            f"{label + ' ' + node:<24}{len(times):>10}{recorder.errors[node]:>8}"
            f"{_percentile(times, 0.5):>9.0f}{_percentile(times, 0.95):>9.0f}{len(times) / seconds:>8.1f}"
        )
    out("")
    out(f"documents uploaded (302)      {checked['uploads']}")
    out(f"  found exactly once          {checked['uploads_found_once']}")
    out(f"  duplicated / missing        {checked['uploads_duplicated']} / {checked['uploads_missing']}")
    out(f"  object missing from bucket  {checked['objects_missing']}")
    out(f"reports asked for (202)       {checked['reports']}")
    found, done, not_done = checked["reports_found"], checked["reports_done"], checked["reports_not_done"]
    out(f"  found / done / not done     {found} / {done} / {not_done}")
    for sample in recorder.error_samples:
        out(f"  error: {sample}")
    failed = (
        sum(recorder.errors.values())
        + checked["uploads_duplicated"]
        + checked["uploads_missing"]
        + checked["objects_missing"]
        + (checked["reports"] - checked["reports_found"])
        + checked["reports_not_done"]
    )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--broker-url", default=os.environ.get("CELERY_BROKER_URL", ""))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--node-workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--node-threads", type=int, default=2, help="threads per gunicorn worker")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("a scratch PostgreSQL database is needed: DATABASE_URL=postgres://…")
    if not args.broker_url.startswith("redis://"):
        parser.error("a Redis is needed: CELERY_BROKER_URL=redis://…")
    _setup_django(args.database_url)
    from tests.nodes import cluster_start, cluster_stop
    from tests.workers import forget_queue

    # Room for every upload a client could make in the time (about 5 a second at most).
    scene = prepare(args.clients, drafts_per_client=max(2, int(args.seconds * 5 / PER_DRAFT) + 1))
    workdir = Path(tempfile.mkdtemp(prefix="two-nodes-"))
    cluster = cluster_start(
        workdir,
        database_url=args.database_url,
        broker_url=args.broker_url,
        cache_url=args.broker_url,
        workers=args.node_workers,
        threads=args.node_threads,
    )
    print(f"two nodes {cluster.nodes}, worker, object store {cluster.s3.url}; logs in {cluster.logs}")
    recorder = Recorder()
    try:
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=_client,
                args=(cluster.nodes, user, scene["token"], scene["program"], recorder, stop_at, seed),
            )
            for seed, user in enumerate(scene["users"])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        keys = set(cluster.s3.keys(cluster.bucket)) if recorder.uploads else set()
        checked = verify(recorder, keys, wait_reports=120)
    finally:
        cluster_stop(cluster)
        forget_queue(cluster.queue, args.broker_url)
    print(f"{args.clients} clients for {args.seconds:.0f} s, alternating nodes request by request")
    return print_table(cluster.nodes, recorder, checked, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
