"""What the measuring commands share: timing, percentiles, query capture, signed-in test clients and
the bench users they sign in as. Django must be set up before the helpers that touch it are called.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_ms(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Milliseconds of `runs` calls of `fn`, after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def summary(samples: list[float], queries: int) -> dict:
    return {"median": statistics.median(samples), "p95": percentile(samples, 95), "queries": queries}


def captured_sql(fn: Callable[[], object]) -> list[str]:
    """The SQL of every query `fn` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [query["sql"] for query in captured.captured_queries]


def explain_analyze(sql_list: list[str], out=print, *, numbered: bool = False) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT in `sql_list`, printed with `out` (`numbered`: each
    plan under its query's number and text)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for number, sql in enumerate(sql_list, 1):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out(f"\n--- query {number} ---\n{sql}\n{plan}" if numbered else f"{plan}\n")


class Timings:
    """The rows of one benchmark's table: each measured call or page as (label, summary, target ms or
    None), with the SQL it ran kept for EXPLAIN."""

    def __init__(self, *, runs: int, warmup: int):
        self.runs, self.warmup = runs, warmup
        self.rows: list[tuple[str, dict, float | None]] = []

    def call(self, label: str, fn: Callable[[], object], target: float | None = None) -> list[str]:
        """Time `fn`; its SQL (one untimed run) is returned."""
        queries = captured_sql(fn)
        self.rows.append((label, summary(time_ms(fn, self.runs, self.warmup), len(queries)), target))
        return queries

    def http(self, label: str, user, url: str, target: float | None = None) -> list[str]:
        """Time a GET of `url` signed in as `user` (anything but 200 ends the benchmark)."""
        client = signed_in_client(user)
        return self.call(label, lambda: get_ok(client, url), target)

    def missed(self) -> list[str]:
        """The rows over their target, as the verdict line names them."""
        return [
            f"{label}: {row['median']:.1f} ms > {target:.0f} ms"
            for label, row, target in self.rows
            if target is not None and row["median"] > target
        ]


def signed_in_client(user):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def get_ok(client, url: str):
    """GET `url`; anything but 200 ends the benchmark."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response


def user_named(username: str, **fields):
    """The user called `username`, created with `fields` (and an unusable password) when missing."""
    from accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.set_unusable_password()
        user.save()
    return user


def busiest_agency() -> int:
    """The id of the agency whose programs hold the most applications (where the staff queue is longest)."""
    from django.db.models import Count

    from program.models import Agency

    busiest = Agency.objects.annotate(n=Count("programs__applications")).order_by("-n", "pk").first()
    if busiest is None:
        raise SystemExit("the database holds no agencies: run `python -m bench.load` first")
    return busiest.pk


def staff_user(username: str = "bench-staff", *, agency_id: int | None = None):
    """A staff user called `username` (created when missing): staff work in one agency (docs/domain.md
    §1), by default the busiest, so what it sees is what the agency filter lets through."""
    from accounts.models import Role

    return user_named(username, role=Role.STAFF, agency_id=agency_id or busiest_agency())


def busiest_sponsor() -> int:
    """The id of the sponsor with the most ledger rows."""
    from django.db.models import Count

    from funds.models import LedgerEntry

    busiest = (
        LedgerEntry.objects.values("program__sponsor")
        .annotate(rows=Count("id"))
        .order_by("-rows", "program__sponsor")
        .first()
    )
    if busiest is None:
        raise SystemExit("the database holds no ledger rows: run `python -m bench.load` first")
    return busiest["program__sponsor"]


def sponsor_user(sponsor_id: int):
    """An active sponsor user of `sponsor_id` (bench-sponsor-NN, created when there is none)."""
    from accounts.models import Role, User

    existing = User.objects.filter(role=Role.SPONSOR, sponsor_id=sponsor_id, is_active=True).first()
    return existing or user_named(f"bench-sponsor-{sponsor_id:02d}", role=Role.SPONSOR, sponsor_id=sponsor_id)


def timing_table(rows: list[tuple[str, dict]], *, width: int, out=print) -> None:
    """A Markdown table of `(label, summary())` rows; `width` is the label column's."""
    out(f"| {'path':<{width}} | {'median ms':>9} | {'p95 ms':>8} | {'queries':>7} |")
    out(f"|{'-' * (width + 2)}|{'-' * 11}|{'-' * 10}|{'-' * 9}|")
    for label, row in rows:
        out(f"| {label:<{width}} | {row['median']:>9.1f} | {row['p95']:>8.1f} | {row['queries']:>7} |")
