"""PgBouncer's transaction pooling and psycopg's connection pool are settings (config/settings/base.py),
for PostgreSQL only; the pool serves queries on a real database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workers import database_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://sf:secret@db.internal:5432/smartfactory"
PROBE = (
    "import json, django; django.setup(); from django.conf import settings;"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'age': db['CONN_MAX_AGE'], 'cursors': db.get('DISABLE_SERVER_SIDE_CURSORS', False),"
    " 'pool': db.get('OPTIONS', {}).get('pool')}))"
)
ENV_NAMES = (
    "DATABASE_URL",
    "DATABASE_PGBOUNCER",
    "DATABASE_POOL_MAX_SIZE",
    "DATABASE_POOL_MIN_SIZE",
    "CONN_MAX_AGE",
)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.local", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _probe(**env) -> dict:
    result = _run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_connections_persist_with_no_pool_and_server_side_cursors():
    assert _probe(DATABASE_URL=POSTGRES) == {"age": 60, "cursors": False, "pool": None}


def test_behind_pgbouncer_server_side_cursors_and_persistent_connections_are_off():
    assert _probe(DATABASE_URL=POSTGRES, DATABASE_PGBOUNCER="true") == {
        "age": 0,
        "cursors": True,
        "pool": None,
    }


def test_the_pool_setting_sizes_psycopgs_pool_and_turns_persistent_connections_off():
    found = _probe(DATABASE_URL=POSTGRES, DATABASE_POOL_MAX_SIZE="8", DATABASE_POOL_MIN_SIZE="2")
    assert found == {"age": 0, "cursors": False, "pool": {"min_size": 2, "max_size": 8, "timeout": 10}}


def test_the_postgres_settings_leave_sqlite_alone():
    found = _probe(DATABASE_PGBOUNCER="true", DATABASE_POOL_MAX_SIZE="8")
    assert found == {"age": 60, "cursors": False, "pool": None}


POOLED_QUERIES = """
import django; django.setup()
from concurrent.futures import ThreadPoolExecutor
from django.db import connection

def count(_):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            return cursor.fetchone()[0]
    finally:
        connection.close()  # gives the connection back to the pool

with ThreadPoolExecutor(4) as threads:
    counts = list(threads.map(count, range(12)))
stats = connection.pool.get_stats()
pool = connection.pool
print("counts", len(counts), min(counts) > 0, "max", pool.max_size, "served", stats["requests_num"])
"""


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_pool_serves_queries_from_several_threads_on_a_real_postgresql():
    result = _run(
        POOLED_QUERIES,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url(),
        DATABASE_POOL_MAX_SIZE="2",
        DATABASE_POOL_MIN_SIZE="1",
    )
    assert result.returncode == 0, result.stderr
    assert "counts 12 True max 2 served 12" in result.stdout, result.stdout + result.stderr
