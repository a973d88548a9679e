"""Several machines on one: two gunicorn web nodes and a Celery worker, each with a local disk of its
own (MEDIA_ROOT), sharing one PostgreSQL database, one Redis (broker and cache) and one S3-protocol
object store (tests/s3.py). What issue 16 asks a deployment to share, and nothing more: a file, a
session or a rate-limit count that one node keeps to itself shows up as a failure on the other.

Used by tests/test_two_nodes.py (on the test database) and bench/two_nodes.py (on a scratch one).
"""

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from config import smoke
from tests.s3 import S3Server, s3_server_start, s3_server_stop
from tests.workers import ROOT, free_port, start_worker, stop


@dataclass
class Cluster:
    s3: S3Server
    bucket: str
    queue: str
    nodes: list[str]  # base URLs, http://127.0.0.1:<port>
    media: list[Path]  # each process's own disk: node A, node B, the worker
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def log_tail(self, chars: int = 4000) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-chars:]}"
            for log in sorted(self.logs.glob("*.log"))
        )


def _node_env(
    *, database_url: str, broker_url: str, cache_url: str, queue: str, media: Path, extra: dict
) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,  # the web nodes enqueue; only the worker runs tasks
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CACHE_URL": cache_url,
        "TEST_MEDIA_ROOT": str(media),
        **extra,
    }


def _gunicorn(env: dict, port: int, log: Path, *, workers: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
        # Longer than a client's idle gap between two requests to this node (the proxy in front
        # of a real deployment keeps its connections longer than its own idle timeout for the same
        # reason): at gunicorn's default of 2 s, a client reusing a connection the node is closing
        # that instant gets "connection reset", which is no fault of the app.
        "--keep-alive", "30",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)


def cluster_start(
    workdir: Path,
    *,
    database_url: str,
    broker_url: str,
    cache_url: str,
    workers: int = 1,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Cluster:
    """The object store, two web nodes and one worker; returns once both nodes answer /health/.
    `extra_env` goes to the nodes and the worker (e.g. AXES_IPWARE_PROXY_COUNT, API_TOKEN_RATE)."""
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    s3 = s3_server_start(logs / "s3.log")
    bucket = s3.bucket_create("two-nodes")
    queue = f"two-nodes-{uuid.uuid4().hex[:10]}"
    media = [workdir / name for name in ("node-a-disk", "node-b-disk", "worker-disk")]
    for path in media:
        path.mkdir(parents=True, exist_ok=True)
    extra = {**s3.env(bucket), **(extra_env or {})}
    cluster = Cluster(s3=s3, bucket=bucket, queue=queue, nodes=[], media=media, logs=logs)
    try:
        for name, disk in zip(("node-a", "node-b"), media, strict=False):
            port = free_port()
            env = _node_env(
                database_url=database_url,
                broker_url=broker_url,
                cache_url=cache_url,
                queue=queue,
                media=disk,
                extra=extra,
            )
            cluster.processes.append(
                _gunicorn(env, port, logs / f"{name}.log", workers=workers, threads=threads)
            )
            cluster.nodes.append(f"http://127.0.0.1:{port}")
        cluster.processes.append(
            start_worker(
                queue,
                logs / "worker.log",
                DATABASE_URL=database_url,
                CELERY_BROKER_URL=broker_url,
                CACHE_URL=cache_url,
                TEST_MEDIA_ROOT=str(media[2]),
                **extra,
            )
        )
        for url in cluster.nodes:
            if not smoke.wait(url, seconds=60):
                raise RuntimeError(f"{url} did not start:\n{cluster.log_tail()}")
    except BaseException:
        cluster_stop(cluster)
        raise
    return cluster


def cluster_stop(cluster: Cluster) -> None:
    for process in cluster.processes:
        stop(process)
    s3_server_stop(cluster.s3)


# --- A browser's part, over HTTP only --------------------------------------------------------------
def signed_in(base_url: str, username: str, password: str):
    """A requests session signed in through the login page of `base_url`. Its cookies name the host,
    not the port: the same session goes to every node, as behind a load balancer."""
    import requests

    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=30).raise_for_status()
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in refused ({answer.status_code}): {answer.text[:500]}")
    return session


def document_upload(
    session, base_url: str, application_id: int, name: str, content: bytes, kind: str = "business_plan"
):
    """The applicant's upload form (multipart POST), as the browser sends it."""
    return session.post(
        f"{base_url}/apply/{application_id}/documents/",
        data={"kind": kind, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"file": (name, content, "application/pdf")},
        headers={"Referer": f"{base_url}/apply/{application_id}/documents/"},
        allow_redirects=False,
        timeout=60,
    )
