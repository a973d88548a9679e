"""After PostgreSQL restarts, the running app answers again without being restarted.

A private PostgreSQL cluster (initdb in a temporary directory, its own port) gets the schema and rows
of the test database; the real app server (gunicorn, 2 sync workers, persistent connections) serves
from it. Both workers hold a database connection when the cluster is restarted (`pg_ctl restart -m
fast` kills those connections): every request after the restart must answer 200, the first one
included, from the same gunicorn processes. Then the cluster is stopped: while it is down the app
answers 503 (health check, pages and API), and once it is started again everything answers 200.
The shared PostgreSQL server is never touched except to read the test database's dump.

The last tests check the 503 answer (config/middleware.py) on any database, SQLite included.
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection

from tests.factories import ProgramFactory
from tests.workers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DB_NAME = "smartfactory"
WORKERS = 2
DOWN_MESSAGE = "데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."
DOWN_MESSAGE_EN = "The database is briefly unavailable. Please try again in a moment."


def _run(command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True, **kwargs)


class PrivatePostgres:
    """A throwaway cluster; initdb and pg_ctl refuse to run as root, so as root they run as postgres."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.port = free_port()

    @staticmethod
    def _command(tool: str, *args: str) -> list[str]:
        command = [str(PG_BIN / tool), *args]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        try:
            return _run(self._command(tool, *args))
        except subprocess.CalledProcessError as error:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise AssertionError(f"{tool} {args} failed:\n{error.stdout}{error.stderr}\n{log}") from error

    def init(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale=C", "--no-sync")  # fmt: skip

    def _ctl(self, action: str, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c full_page_writes=off -c synchronous_commit=off"
        )
        self._pg("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30",
                 "-o", options, *args)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def is_running(self) -> bool:
        command = self._command("pg_ctl", "status", "-D", str(self.data))
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0

    def url(self, dbname: str = DB_NAME) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def query(self, sql: str, params=(), dbname: str = "postgres"):
        with psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def app_backends(self) -> set[int]:
        """Backend pids of the connections to the app's database (the workers' persistent ones)."""
        rows = self.query(
            "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'"
            " AND datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        )
        return {pid for (pid,) in rows}


@pytest.fixture
def private_postgres():
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"needs the PostgreSQL server binaries (initdb, pg_ctl) in {PG_BIN}; set PG_BIN")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("runs as root: needs runuser to run initdb and pg_ctl as the postgres user")
    # Not tmp_path: as root its parents (/tmp/pytest-of-root, 0700) are closed to the postgres user.
    directory = Path(tempfile.mkdtemp(prefix="sf-pg-restart-"))
    directory.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = PrivatePostgres(directory)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def app_database(private_postgres, transactional_db):
    """The test database (migrated by pytest-django, plus an open program), copied with pg_dump:
    tables, constraints, triggers, the pg_trgm extension and its indexes, and the rows."""
    program = ProgramFactory(title="재시작 확인 사업")
    db = connection.settings_dict
    source = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    dump = _run([str(PG_BIN / "pg_dump"), *source, "--no-owner", "--no-privileges", db["NAME"]], env=env)
    target = ["-h", "127.0.0.1", "-p", str(private_postgres.port), "-U", "postgres"]
    _run([str(PG_BIN / "createdb"), *target, DB_NAME])
    _run([str(PG_BIN / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", DB_NAME], input=dump.stdout)
    [(triggers, trigram_indexes)] = private_postgres.query(
        "SELECT (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
        "        AND tgrelid = 'funds_ledgerentry'::regclass),"
        "       (SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%%gin_trgm_ops%%')",
        dbname=DB_NAME,
    )
    assert triggers >= 2 and trigram_indexes >= 1, "the ledger triggers or the trigram indexes are missing"
    return program


def _workers(master: int) -> set[int]:
    found = subprocess.run(["ps", "--ppid", str(master), "-o", "pid="], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


@pytest.fixture
def app_server(private_postgres, app_database, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=private_postgres.url(),
        CONN_MAX_AGE="60",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONWARNINGS="ignore",
    )
    log = tmp_path / "gunicorn.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", f"--workers={WORKERS}",
        "--worker-class=sync", f"--bind=127.0.0.1:{port}", "--timeout=30", "--graceful-timeout=5",
        "--log-level=warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer in 30 s:\n{log.read_text()}"
            try:
                if _get(port, "/health/")[0] == 200 and len(_workers(server.pid)) == WORKERS:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        yield server, port, log
    finally:
        stop(server)


def _get(port: int, path: str, **headers) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}", "Accept-Language": "ko", **headers})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.postgres
def test_the_app_answers_again_after_postgres_restarts(private_postgres, app_database, app_server):
    server, port, log = app_server
    master, workers = server.pid, _workers(server.pid)
    program_title = app_database.title

    def answers_from_database(where: str) -> None:
        status, _headers, body = _get(port, "/health/")
        assert status == 200, f"{where}: /health/ → {status} {body}\n{log.read_text()}"
        assert json.loads(body)["database"] == "ok"
        status, _headers, body = _get(port, "/")
        assert status == 200, f"{where}: / → {status}\n{log.read_text()}"
        assert program_title in body  # the program row, read from the private cluster

    def until_every_worker_is_connected(where: str) -> set[int]:
        """Requests (each must answer 200) until both workers hold a connection to the database."""
        for _ in range(200):
            answers_from_database(where)
            backends = private_postgres.app_backends()
            if len(backends) >= WORKERS:
                return backends
        raise AssertionError(f"{where}: the {WORKERS} workers never all connected: {backends}")

    def same_processes() -> None:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        assert _workers(master) == workers, f"gunicorn replaced its workers:\n{log.read_text()}"

    before = until_every_worker_is_connected("before the restart")

    # 1. A restart: every worker's persistent connection is dead; the very first request must work.
    private_postgres.restart()
    assert private_postgres.app_backends() == set(), "the restart did not end the app's connections"
    answers_from_database("first requests after the restart")
    after = until_every_worker_is_connected("after the restart")
    assert after.isdisjoint(before)
    same_processes()

    # 2. An outage: clean 503s, quickly, from the same workers; then 200s again once it is back.
    private_postgres.stop()
    for _ in range(2 * WORKERS):  # more requests than workers: each worker's lost connection
        started = time.monotonic()
        status, _headers, body = _get(port, "/health/")
        assert (status, json.loads(body)["database"]) == (503, "unavailable"), body
        status, headers, body = _get(port, "/")
        assert status == 503, f"/ → {status} {body}"
        assert headers["Retry-After"] == "30" and "no-store" in headers["Cache-Control"]
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert body.index(DOWN_MESSAGE) < body.index(DOWN_MESSAGE_EN)
        # The API: a token to look up makes the request read the database.
        token = {"Authorization": "Token " + "0" * 40}
        status, headers, body = _get(port, "/api/v1/programs/", **token)
        assert status == 503, f"/api/v1/programs/ → {status} {body}"
        assert headers["Retry-After"] == "30"
        assert json.loads(body) == {"detail": DOWN_MESSAGE, "code": "database_unavailable"}
        status, _headers, body = _get(port, "/api/v1/programs/", **token, **{"Accept-Language": "en"})
        assert status == 503 and json.loads(body)["detail"] == DOWN_MESSAGE_EN
        assert time.monotonic() - started < 15, "requests hung while the database was down"
    same_processes()
    private_postgres.start()
    answers_from_database("first requests after the outage")
    until_every_worker_is_connected("after the outage")
    same_processes()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_that_loses_the_database_answers_503(client, error):
    with mock.patch("program.announcements.announcement_list", side_effect=error("connection refused")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert body.index(DOWN_MESSAGE) < body.index(DOWN_MESSAGE_EN)
    assert "connection refused" not in body


@pytest.mark.parametrize(("language", "message"), [("ko", DOWN_MESSAGE), ("en", DOWN_MESSAGE_EN)])
def test_the_api_answers_503_in_json_when_the_database_is_lost(client, language, message):
    with mock.patch(
        "accounts.tokens.ApiTokenAuthentication.authenticate_credentials",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(
            "/api/v1/programs/", headers={"Authorization": "Token " + "0" * 40, "Accept-Language": language}
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": message, "code": "database_unavailable"}


def test_other_errors_are_left_to_django(client):
    with (
        mock.patch("program.announcements.announcement_list", side_effect=ValueError("a bug")),
        pytest.raises(ValueError, match="a bug"),
    ):
        client.get("/")
