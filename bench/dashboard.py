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
import sys

from bench.load import add_database_url_argument, connect_benchmark_database
from bench.measure import (
    busiest_sponsor,
    captured_sql,
    explain_analyze,
    get_ok,
    signed_in_client,
    sponsor_user,
    summary,
    time_ms,
    timing_table,
)

THRESHOLD_MS = 150.0


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

    from applicants.models import Application
    from funds.models import LedgerEntry
    from reports.dashboard import sponsor_dashboard

    if sponsor_id is None:
        sponsor_id = busiest_sponsor()
    client = signed_in_client(sponsor_user(sponsor_id))
    url = f"/api/v1/sponsors/{sponsor_id}/dashboard/"

    def selector():
        return sponsor_dashboard(sponsor_id=sponsor_id)

    def http():
        return get_ok(client, url)

    selector_sql = captured_sql(selector)
    http_sql = captured_sql(http)
    selector_ms = time_ms(selector, runs, warmup)
    http_ms = time_ms(http, runs, warmup)

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
        "selector": summary(selector_ms, len(selector_sql)),
        "http": summary(http_ms, len(http_sql)),
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
    timing_table(
        [("sponsor_dashboard(sponsor_id=…)", result["selector"]), (f"GET {url} (HTTP)", result["http"])],
        width=44,
        out=out,
    )
    verdict = "PASS" if result["passed"] else "FAIL"
    out(f"\n{verdict}: HTTP median {result['http']['median']:.1f} ms (threshold {threshold_ms:.0f} ms)")
    if explain:
        explain_analyze(selector_sql, out, numbered=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
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
