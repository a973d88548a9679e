"""A real S3-protocol server for the tests: moto's standalone server (`moto_server`), started as a
subprocess on a free port of 127.0.0.1. MinIO cannot be installed here (no registry ships it);
moto_server speaks the same HTTP protocol boto3 and django-storages use against MinIO or S3.

Used by the `s3_storage` fixture (conftest.py: one server per test session, a bucket per test),
by the two-node test and by bench/two_nodes.py (tests/nodes.py)."""

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.workers import free_port, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "us-east-1"


@dataclass
class S3Server:
    url: str
    process: subprocess.Popen

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def bucket_create(self, prefix: str = "test") -> str:
        """A new, empty, private bucket (the default for a bucket: no public policy, no public ACL)."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def env(self, bucket: str, **overrides: str) -> dict[str, str]:
        """The STORAGE_* variables a web node or worker is started with to use `bucket`."""
        return {
            "STORAGE_BUCKET": bucket,
            "STORAGE_ENDPOINT_URL": self.url,
            "STORAGE_ACCESS_KEY": ACCESS_KEY,
            "STORAGE_SECRET_KEY": SECRET_KEY,
            "STORAGE_REGION": REGION,
            **overrides,
        }


def _command() -> str:
    beside = Path(sys.executable).parent / "moto_server"
    return str(beside) if beside.exists() else (shutil.which("moto_server") or "moto_server")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own server on 127.0.0.1)
            return True
    except urllib.error.HTTPError:
        return True  # it answered, with an error: it is up
    except OSError:
        return False


def s3_server_start(log: Path, *, timeout: float = 60) -> S3Server:
    """Start moto_server on a free port; return once it answers HTTP."""
    port = free_port()
    process = subprocess.Popen(
        [_command(), "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    server = S3Server(url=f"http://127.0.0.1:{port}", process=process)
    if not wait_for(lambda: process.poll() is not None or _answers(server.url), timeout=timeout) or (
        process.poll() is not None
    ):
        stop(process)
        raise RuntimeError(f"moto_server did not start:\n{log.read_text()[-3000:]}")
    return server


def s3_server_stop(server: S3Server) -> None:
    stop(server.process)
