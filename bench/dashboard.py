"""Time the sponsor dashboard against the benchmark database (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.dashboard

Picks the sponsor with the most ledger rows, warms up, then times `sponsor_dashboard()` and the
full HTTP path (`GET /api/v1/sponsors/{id}/dashboard/` through Django's test client, as that
sponsor's user) and prints median, p95 and queries per request. Exits 1 (FAIL) when the HTTP
median exceeds the threshold (150 ms). `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of every
query the selector runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

from bench.load import DEFAULT_DATABASE_URL, connect_benchmark_database

THRESHOLD_MS = 150.0


def _time(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94] if len(samples) > 1 else samples[0]


def _queries(fn: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [query["sql"] for query in captured.captured_queries]


def _explain(sql_list: list[str], out) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for number, sql in enumerate(sql_list, 1):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out(f"\n--- query {number} ---\n{sql}\n{plan}")


def run(
    *,
    runs: int = 50,
    warmup: int = 5,
    sponsor_id: int | None = None,
    threshold_ms: float = THRESHOLD_MS,
    explain: bool = False,
    out=print,
) -> dict:
    """Measure; Django must be set up against the benchmark database."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import Role, User
    from applicants.models import Application
    from funds.dashboard import sponsor_dashboard
    from funds.models import LedgerEntry

    if sponsor_id is None:
        busiest = (
            LedgerEntry.objects.values("program__sponsor")
            .annotate(rows=Count("id"))
            .order_by("-rows", "program__sponsor")
            .first()
        )
        if busiest is None:
            raise SystemExit("the database holds no ledger rows: run `python -m bench.load` first")
        sponsor_id = busiest["program__sponsor"]
    user = User.objects.filter(role=Role.SPONSOR, sponsor_id=sponsor_id, is_active=True).first()
    if user is None:
        user = User(username=f"bench-sponsor-{sponsor_id:02d}", role=Role.SPONSOR, sponsor_id=sponsor_id)
        user.set_unusable_password()
        user.save()

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/api/v1/sponsors/{sponsor_id}/dashboard/"

    def selector():
        return sponsor_dashboard(sponsor_id=sponsor_id)

    def http():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
        return response

    selector_sql = _queries(selector)
    http_sql = _queries(http)
    selector_ms = _time(selector, runs, warmup)
    http_ms = _time(http, runs, warmup)

    counts = {
        "applications": Application.objects.count(),
        "applications_of_sponsor": Application.objects.filter(program__sponsor_id=sponsor_id).count(),
        "ledger": LedgerEntry.objects.count(),
        "ledger_of_sponsor": LedgerEntry.objects.filter(program__sponsor_id=sponsor_id).count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]

    result = {
        "sponsor_id": sponsor_id,
        "runs": runs,
        "selector": {
            "median": statistics.median(selector_ms),
            "p95": _p95(selector_ms),
            "queries": len(selector_sql),
        },
        "http": {"median": statistics.median(http_ms), "p95": _p95(http_ms), "queries": len(http_sql)},
        "rows": counts,
        "threshold_ms": threshold_ms,
    }
    result["passed"] = result["http"]["median"] <= threshold_ms

    out(f"sponsor dashboard — {connection.settings_dict['NAME']} on {server}, {os.cpu_count()} CPUs")
    out(
        f"rows: applications {counts['applications']:,} ({counts['applications_of_sponsor']:,} of sponsor "
        f"{sponsor_id}), ledger {counts['ledger']:,} ({counts['ledger_of_sponsor']:,} of it)"
    )
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    out(f"{runs} timed runs after {warmup} warm-up runs each; load average {load}\n")
    out(f"| {'path':<44} | {'median ms':>9} | {'p95 ms':>8} | {'queries':>7} |")
    out(f"|{'-' * 46}|{'-' * 11}|{'-' * 10}|{'-' * 9}|")
    for label, key in (
        ("sponsor_dashboard(sponsor_id=…)", "selector"),
        (f"GET {url} (HTTP)", "http"),
    ):
        row = result[key]
        out(f"| {label:<44} | {row['median']:>9.1f} | {row['p95']:>8.1f} | {row['queries']:>7} |")
    verdict = "PASS" if result["passed"] else "FAIL"
    out(f"\n{verdict}: HTTP median {result['http']['median']:.1f} ms (threshold {threshold_ms:.0f} ms)")
    if explain:
        _explain(selector_sql, out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL URL (default: $DATABASE_URL, else %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--sponsor", type=int, help="sponsor id (default: the one with most ledger rows)")
    parser.add_argument("--threshold-ms", type=float, default=THRESHOLD_MS)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the selector's queries")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    result = run(
        runs=args.runs,
        warmup=args.warmup,
        sponsor_id=args.sponsor,
        threshold_ms=args.threshold_ms,
        explain=args.explain,
    )
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
