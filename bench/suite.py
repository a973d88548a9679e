"""The whole benchmark in one table (issue 7; docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.suite

Against the loaded benchmark database (`python -m bench.load --if-empty`), times through Django's
test client with DEBUG off: the staff review queue (filter + search + sort, page of 50), the queue
searched by business number, the same list in Django admin's changelist (and the ratio ours / admin),
the applications API list, the sponsor dashboard, the program fund page and API, the mentor
suggestions; then the cost-share computation over 10,000 selected applications (in a transaction
rolled back at the end) and the XLSX export of every application (`bench.report_memory`: time and
peak RSS). Prints one table with median, p95, queries, target and PASS/FAIL; exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.load import add_database_url_argument, connect_benchmark_database
from bench.measure import (
    busiest_sponsor,
    captured_sql,
    get_ok,
    percentile,
    signed_in_client,
    sponsor_user,
    staff_user,
    time_ms,
    user_named,
)

# The staff queue filter of the benchmark: finished projects in 경기 whose company name has "금강테크"
# (34 companies), best score first (docs/domain.md §11: `/staff/applications/` with `q`; the API's filter
# names).
QUEUE_FILTER = {"status": "completed", "region": "경기", "q": "금강테크", "ordering": "-score"}


@dataclass
class Row:
    label: str
    median: float | None = None
    p95: float | None = None
    queries: int | str = ""
    target: str = "—"
    passed: bool | None = None  # None: no target set by the issue, reported only
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "—"}[self.passed]


def _users():
    """Staff of the busiest agency, and a superuser (no agency: every agency's rows) for the admin."""
    from accounts.models import Role

    staff = staff_user()
    admin = user_named("bench-admin", role=Role.STAFF, is_staff=True, is_superuser=True)
    return staff, admin


def _measure(client, url: str, runs: int, warmup: int) -> tuple[list[float], int]:
    def get():
        return get_ok(client, url)

    queries = len(captured_sql(get))
    return time_ms(get, runs, warmup), queries


def _http_row(label, client, url, *, runs, warmup, limit_ms=None, same_queries_as=None) -> Row:
    """Time GET `url`; with `same_queries_as` (another URL: a different page size) the query count
    must not depend on how many rows the page shows."""
    samples, queries = _measure(client, url, runs, warmup)
    row = Row(label, statistics.median(samples), percentile(samples, 95), queries)
    checks, targets = [], []
    if limit_ms is not None:
        targets.append(f"≤ {limit_ms:.0f} ms")
        checks.append(row.median <= limit_ms)
    if same_queries_as is not None:
        other = len(captured_sql(lambda: client.get(same_queries_as)))
        targets.append("const. queries")
        checks.append(other == queries)
        if other != queries:
            row.notes.append(f"{queries} queries for a page of 50, {other} for a page of 20")
    if targets:
        row.target = ", ".join(targets)
        row.passed = all(checks)
    return row


def http_rows(*, runs: int, warmup: int) -> list[Row]:
    from django.db.models import Count

    from applicants.models import Company
    from bench.suggestions import application_wanting_mentoring, ensure_mentors
    from funds.models import LedgerEntry

    staff, admin = _users()
    ours, theirs = signed_in_client(staff), signed_in_client(admin)
    rows = []

    queue = f"/staff/applications/?{urlencode({**QUEUE_FILTER, 'page_size': 50})}"
    queue20 = f"/staff/applications/?{urlencode({**QUEUE_FILTER, 'page_size': 20})}"
    staff_row = _http_row(
        "staff queue: status+region+q=금강테크+sort, 50",
        ours,
        queue,
        runs=runs,
        warmup=warmup,
        limit_ms=50,
        same_queries_as=queue20,
    )
    rows.append(staff_row)

    number = Company.objects.order_by("pk").values_list("business_number", flat=True)[1234]
    fragment = f"{number[:3]}-{number[3:5]}"  # typed as on the certificate, first five digits
    search = f"/staff/applications/?{urlencode({'q': fragment, 'page_size': 50})}"
    rows.append(
        _http_row(
            f"staff queue: q={fragment} (business no.)", ours, search, runs=runs, warmup=warmup, limit_ms=100
        )
    )
    name_only = f"/staff/applications/?{urlencode({'q': '금강테크', 'page_size': 50})}"
    rows.append(
        _http_row(
            "staff queue: q=금강테크 (company name)", ours, name_only, runs=runs, warmup=warmup, limit_ms=100
        )
    )

    short = f"/staff/applications/?{urlencode({**QUEUE_FILTER, 'q': '테크', 'page_size': 50})}"
    rows.append(
        _http_row(
            "staff queue: same, q=테크 (2 letters)",
            ours,
            short,
            runs=runs,
            warmup=warmup,
        )
    )

    # The admin has no region filter (list_filter: status, level, program__year) and searches every
    # word of `q` in title, company name, business number and program title: the same status,
    # search and sort (o=-6: score, descending), without the region.
    changelist = "/admin/applicants/application/?" + urlencode(
        {"status__exact": QUEUE_FILTER["status"], "q": QUEUE_FILTER["q"], "o": "-6"}
    )
    admin_row = _http_row(
        "Django admin changelist: status+q+sort, 100", theirs, changelist, runs=runs, warmup=warmup
    )
    rows.append(admin_row)
    ratio = staff_row.median / admin_row.median
    rows.append(
        Row(
            "ratio staff queue / admin (median)",
            target="≤ 0.50",
            passed=ratio <= 0.5,
            queries="",
            notes=[f"{ratio:.2f}"],
        )
    )

    api = f"/api/v1/applications/?{urlencode({**QUEUE_FILTER, 'page_size': 50})}"
    api20 = f"/api/v1/applications/?{urlencode({**QUEUE_FILTER, 'page_size': 20})}"
    rows.append(
        _http_row("API applications list, 50", ours, api, runs=runs, warmup=warmup, same_queries_as=api20)
    )

    sponsor_id = busiest_sponsor()
    sponsor = signed_in_client(sponsor_user(sponsor_id))
    url = f"/api/v1/sponsors/{sponsor_id}/dashboard/"
    rows.append(
        _http_row(
            f"sponsor dashboard API ({sponsor_id})", sponsor, url, runs=runs, warmup=warmup, limit_ms=150
        )
    )
    rows.append(
        _http_row(
            "sponsor dashboard page /sponsor/", sponsor, "/sponsor/", runs=runs, warmup=warmup, limit_ms=150
        )
    )

    own = LedgerEntry.objects.filter(program__agency_id=staff.agency_id)  # the staff's agency's programs
    program_id = (own.values("program").annotate(rows=Count("id")).order_by("-rows", "program").first())[
        "program"
    ]
    rows.append(
        _http_row(
            f"program fund page ({program_id})",
            ours,
            f"/staff/programs/{program_id}/fund/",
            runs=runs,
            warmup=warmup,
        )
    )
    rows.append(
        _http_row("program fund API", ours, f"/api/v1/programs/{program_id}/fund/", runs=runs, warmup=warmup)
    )

    ensure_mentors(2000)
    url = f"/api/v1/mentors/suggestions/?application={application_wanting_mentoring(staff.agency_id).pk}"
    rows.append(
        _http_row("mentor suggestions API (2,000 mentors)", ours, url, runs=runs, warmup=warmup, limit_ms=100)
    )
    return rows


class _Rollback(Exception):
    pass


def cost_share_row(count: int = 10_000) -> Row:
    """`funds.services.cost_share_compute` for `count` selected applications, rolled back."""
    from django.db import transaction

    from applicants.models import Application
    from funds.models import CostShare
    from funds.services import cost_share_compute

    ids = list(
        Application.objects.filter(status="completed", total_cost__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    applications = list(Application.objects.filter(pk__in=ids).only("pk"))
    elapsed = 0.0
    try:
        with transaction.atomic():
            # Half from scratch (the row is created), half already computed (left as it is).
            CostShare.objects.filter(application_id__in=ids[::2]).delete()
            started = time.perf_counter()
            for application in applications:
                cost_share_compute(application=application)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    row = Row(f"cost-share task × {len(ids):,} (s total)", elapsed * 1000, None, "")
    row.notes.append(f"{elapsed:.1f} s, {len(ids) / elapsed:,.0f} rows/s, rolled back")
    return row


def export_row(database_url: str) -> Row:
    from bench.report_memory import THRESHOLD_MB, run_format

    result = run_format("xlsx", database_url, keep=False)
    complete = result["status"] == "done" and result["rows"] == result["applications"]
    row = Row(
        f"XLSX export × {result['rows']:,}",
        result["seconds"] * 1000,
        None,
        "",
        target=f"peak RSS ≤ {THRESHOLD_MB:.0f} MB",
        passed=complete and result["peak_rss_mb"] <= THRESHOLD_MB,
    )
    row.notes.append(f"{result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB")
    if not complete:
        row.notes.append(f"incomplete: {result['status']} {result['rows']:,} of {result['applications']:,}")
    return row


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad to `width` terminal columns: Hangul takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(width - columns, 0)
    return fill + text if right else text + fill


def _fmt(value) -> str:
    return "" if value is None else f"{value:,.1f}"


def print_table(rows: list[Row], out=print) -> None:
    widths = (46, 10, 9, 7, 26, 6)
    out(
        f"| {'measure':<{widths[0]}} | {'median ms':>{widths[1]}} | {'p95 ms':>{widths[2]}} | "
        f"{'queries':>{widths[3]}} | {'target':<{widths[4]}} | {'result':<{widths[5]}} | notes"
    )
    out("|" + "|".join("-" * (w + 2) for w in widths) + "|-------")
    for r in rows:
        out(
            f"| {_pad(r.label, widths[0])} | {_fmt(r.median):>{widths[1]}} | {_fmt(r.p95):>{widths[2]}} | "
            f"{r.queries!s:>{widths[3]}} | {r.target:<{widths[4]}} | {r.verdict:<{widths[5]}} | "
            + "; ".join(r.notes)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.suite", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--cost-share", type=int, default=10_000, help="applications (0: skip)")
    parser.add_argument("--no-export", action="store_true", help="skip the XLSX export")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    from django.db import connection

    from applicants.models import Application

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"benchmark suite — {connection.settings_dict['NAME']}, "
        f"{Application.objects.count():,} applications, "
        f"{os.cpu_count()} CPUs, load {load}; {args.runs} timed requests after {args.warmup} warm-ups each\n"
    )
    rows = http_rows(runs=args.runs, warmup=args.warmup)
    if args.cost_share:
        rows.append(cost_share_row(args.cost_share))
    if not args.no_export:
        rows.append(export_row(args.database_url))
    print_table(rows)
    failed = [r.label for r in rows if r.passed is False]
    print(f"\n{'FAIL: ' + ', '.join(failed) if failed else 'PASS: every target met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
