"""Issue 20's figures: spending review, settlement and the invoice-number check at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.execution [--explain]

Targets (SPEC §18, issue 20): the staff review queue's first page ≤ 100 ms median, one application's
settlement figures ≤ 50 ms, the invoice-number uniqueness check (the `exists()` spending_record runs)
≤ 5 ms.

On a database loaded by `bench.load`, `load_execution()` first adds (once; `--drop` takes it away,
`--reload` drops and loads afresh), by COPY in one transaction:

- 1,000,000 spending lines over the projects that spent (building, completion review, completed:
  about 20 each), 85 % on tax invoices with unique 24-digit numbers, the rest card or other
  evidence; about 6 % flagged (a supplier not the agreement's, a credit note, outside the period);
  completed projects' lines reviewed (about 5 % disallowed), most of the running projects' pending;
- the SME's deposits: one or two per project from the agreement on, summing to its share;
- 3,000 clawbacks on completed projects, most open (due around the reference day), some
  uncollectable. None collected: collections are ledger rows, which this loader leaves as bench.load
  wrote them (the pots' running totals stay true).

Then it times, with the real selectors, the review queue's first page for `bench-staff` (the busiest
agency), `settlement_figures` for a project in completion review, and `invoice_taken` for a number
that exists and one that does not. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time

from bench.load import (
    KST,
    TODAY,
    _copy,
    _drop_secondary_indexes,
    _is_superuser,
    add_database_url_argument,
    connect_benchmark_database,
)
from bench.measure import Timings, explain_analyze, staff_user, timing_table, user_named

QUEUE_TARGET_MS = 100.0
SETTLEMENT_TARGET_MS = 50.0
INVOICE_TARGET_MS = 5.0

SPENDING_LINES = 1_000_000
CLAWBACKS = 3_000
QUEUE_PAGE = 20  # the review queue's page size (the pages show 20 rows)
SME_USER = "bench-execution-sme"  # who recorded the lines (one user: nobody signs in as it)
ITEMS = [
    "MES 라이선스",
    "PLC 제어반",
    "비전 검사기",
    "산업용 PC",
    "센서·배선 공사",
    "ERP 연동 개발",
    "교육·컨설팅",
]


# ---------------------------------------------------------------------------------------------
# The data


def execution_loaded() -> bool:
    from execution.models import SpendingLine

    return SpendingLine.objects.exists()


def drop_execution(out=print) -> None:
    """Empty the execution tables (bench.load writes none of them)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE execution_clawbackcollection, execution_clawback, execution_settlement, "
            "execution_deposit, execution_spendingline"
        )
    out(f"dropped the execution data in {time.perf_counter() - started:.1f} s")


def _invoice(day: dt.date, n: int) -> str:
    """A 24-digit approval number, unique by `n`: the day (8 digits) and a serial (16)."""
    return f"{day:%Y%m%d}{n:016d}"


def _projects():
    """(id, status, total, sme, supplier number, decided_at, program year) of every funded project."""
    from applicants.models import Application

    S = Application.Status
    return list(
        Application.objects.filter(
            cost_share__isnull=False,
            status__in=[S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED],
        )
        .order_by("pk")
        .values_list(
            "pk", "status", "cost_share__total", "cost_share__sme", "supplier__business_number", "decided_at"
        )
    )


def _spending_rows(rng: random.Random, projects, suppliers: list[str], recorder: int, reviewer: int):
    spending = [p for p in projects if p[1] != "agreement"]
    per, extra = divmod(SPENDING_LINES, len(spending))
    serial = 0
    for n, (pk, status, total, _sme, supplier, decided_at) in enumerate(spending):
        agreed = supplier or suppliers[pk % len(suppliers)]
        start = (decided_at or dt.datetime(2025, 1, 1, tzinfo=KST)).date() + dt.timedelta(days=30)
        count = per + (1 if n < extra else 0)
        for i in range(count):
            spent_on = min(start + dt.timedelta(days=i * 9 + rng.randint(0, 8)), TODAY)
            created = dt.datetime(spent_on.year, spent_on.month, spent_on.day, 10, tzinfo=KST) + dt.timedelta(
                minutes=rng.randint(0, 7 * 24 * 60)
            )
            roll = rng.random()
            mismatch, credit, outside = roll < 0.03, 0.03 <= roll < 0.045, 0.045 <= roll < 0.06
            amount = max(1_000, total // count // 1_000 * 1_000 + rng.randint(-50, 50) * 1_000)
            if credit:
                amount = -rng.randint(1, 50) * 100_000
            evidence = "tax_invoice" if rng.random() < 0.85 or credit else rng.choice(["card", "other"])
            invoice = None
            if evidence == "tax_invoice":
                serial += 1
                invoice = _invoice(spent_on, serial)
            if status == "completed" or (status == "completion_review" and rng.random() < 0.1):
                disallowed = rng.random() < 0.05 or mismatch
                state, reason = ("disallowed", "증빙 불충분") if disallowed else ("approved", "")
                reviewed_by, reviewed_at = reviewer, created + dt.timedelta(days=rng.randint(1, 20))
            elif status == "building" and rng.random() < 0.3:
                state, reason, reviewed_by = "approved", "", reviewer
                reviewed_at = created + dt.timedelta(days=rng.randint(1, 20))
            else:
                state, reason, reviewed_by, reviewed_at = "pending", "", None, None
            yield (
                pk,
                spent_on,
                suppliers[(pk + 7) % len(suppliers)] if mismatch else agreed,
                rng.choice(ITEMS),
                amount,
                evidence,
                invoice,
                f"private/spending/{pk}/evidence-{i + 1:02d}.pdf",
                mismatch,
                outside,
                credit,
                False,
                mismatch or credit or outside,
                state,
                reason,
                reviewed_by,
                reviewed_at,
                recorder,
                created,
            )


SPENDING_COLUMNS = (
    "application_id spent_on supplier_business_number item amount evidence invoice_number document "
    "supplier_mismatch outside_period credit_note over_budget flagged status reason reviewed_by_id "
    "reviewed_at recorded_by_id created_at"
).split()


def _deposit_rows(rng: random.Random, projects, recorder: int):
    for pk, _status, _total, sme, _supplier, decided_at in projects:
        if sme <= 0:
            continue  # 유형2: the SME pays nothing
        day = (decided_at or dt.datetime(2025, 1, 1, tzinfo=KST)).date() + dt.timedelta(days=25)
        first = sme if rng.random() < 0.5 else sme // 2
        for amount in (first, sme - first):
            if amount > 0:
                at = dt.datetime(day.year, day.month, day.day, 11, tzinfo=KST)
                yield pk, amount, min(day, TODAY), "", recorder, at
                day += dt.timedelta(days=60)


def _clawback_rows(rng: random.Random, projects, actor: int):
    completed = [p for p in projects if p[1] == "completed"]
    for pk, *_rest in rng.sample(completed, min(CLAWBACKS, len(completed))):
        due = TODAY + dt.timedelta(days=rng.randint(-60, 60))
        uncollectable = rng.random() < 0.15
        status, note = ("uncollectable", "폐업으로 회수 불가") if uncollectable else ("open", "")
        closed = dt.datetime(due.year, due.month, due.day, 9, tzinfo=KST) if uncollectable else None
        reason = rng.choice(["false_evidence", "collusion", "abandonment", "non_use", "settlement"])
        amounts = (rng.randint(1, 40) * 500_000, rng.randint(1, 40) * 500_000)
        created = dt.datetime(due.year, due.month, due.day, 9, tzinfo=KST) - dt.timedelta(days=30)
        yield pk, reason, *amounts, 0, 0, due, reason == "collusion", status, note, closed, actor, created


CLAWBACK_COLUMNS = (
    "application_id reason government sponsor collected_government collected_sponsor due_on ban status "
    "note closed_at created_by_id created_at"
).split()


def load_execution(*, seed: int = 20, out=print) -> dict | None:
    """Add the execution data (once): None when it was there already, else the rows loaded."""
    from django.db import connection, transaction

    from accounts.models import Role
    from applicants.models import Supplier
    from execution.models import Clawback, Deposit, SpendingLine

    if execution_loaded():
        out("execution data already loaded (--reload loads it afresh, --drop removes it)")
        return None
    rng = random.Random(f"bench-execution:{seed}")  # noqa: S311 (synthetic data, not secrets)
    loaded: dict[str, int] = {}
    started = time.perf_counter()

    def timed(label, rows, since):
        out(f"  {label:<28} {rows:>10,} rows  {time.perf_counter() - since:7.2f} s")

    recorder = user_named(SME_USER, role=Role.APPLICANT).pk
    reviewer = staff_user().pk
    projects = _projects()
    suppliers = list(Supplier.objects.order_by("pk").values_list("business_number", flat=True))
    tables = [SpendingLine._meta.db_table, Deposit._meta.db_table, Clawback._meta.db_table]
    with transaction.atomic():
        with connection.connection.cursor() as cursor:
            if _is_superuser(cursor):  # every key names a row read above
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            indexes = _drop_secondary_indexes(cursor, tables)
            t = time.perf_counter()
            rows = _spending_rows(rng, projects, suppliers, recorder, reviewer)
            loaded["spending_lines"] = _copy(cursor, SpendingLine, SPENDING_COLUMNS, rows)
            timed("spending lines", loaded["spending_lines"], t)
            t = time.perf_counter()
            columns = "application_id amount deposited_on document recorded_by_id created_at".split()
            loaded["deposits"] = _copy(cursor, Deposit, columns, _deposit_rows(rng, projects, reviewer))
            timed("deposits", loaded["deposits"], t)
            t = time.perf_counter()
            rows = _clawback_rows(rng, projects, reviewer)
            loaded["clawbacks"] = _copy(cursor, Clawback, CLAWBACK_COLUMNS, rows)
            timed("clawbacks", loaded["clawbacks"], t)
            t = time.perf_counter()
            for definition in indexes:
                cursor.execute(definition)
            timed(f"create {len(indexes)} indexes", 0, t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timed("VACUUM (ANALYZE)", 0, t)
    out(f"loaded the execution data in {time.perf_counter() - started:.1f} s")
    return loaded


# ---------------------------------------------------------------------------------------------
# The measures


def measure(*, runs: int, warmup: int, explain: bool, out=print) -> Timings:
    """The timings of the queue, the settlement and the invoice check, each with its target."""
    from applicants.models import Application
    from execution.models import SpendingLine
    from execution.selectors import spending_queue
    from execution.services.spending import invoice_taken
    from execution.settlement import settlement_figures

    staff = staff_user()
    queued = spending_queue(user=staff).count()
    project = (
        Application.objects.filter(status=Application.Status.COMPLETION_REVIEW, spending_lines__isnull=False)
        .order_by("pk")
        .first()
    )
    if project is None:
        raise SystemExit(
            "no project in completion review spent anything: run `python -m bench.execution --reload`"
        )
    lines = SpendingLine.objects.filter(application=project).count()
    taken = str(
        SpendingLine.objects.exclude(invoice_number=None)
        .order_by("-pk")
        .values_list("invoice_number", flat=True)[0]
    )
    free = "9" * 24
    out(
        f"queue: {queued:,} pending lines for {staff.username}; "
        f"settlement: application {project.pk} ({lines} lines)\n"
    )
    timings = Timings(runs=runs, warmup=warmup)
    sqls: list[str] = []

    def call(label: str, fn, target: float) -> None:
        sqls.extend(timings.call(label, fn, target))

    call(
        f"review queue, first {QUEUE_PAGE} of {queued:,}",
        lambda: list(spending_queue(user=staff)[:QUEUE_PAGE]),
        QUEUE_TARGET_MS,
    )
    call(
        f"settlement_figures, {lines} lines",
        lambda: settlement_figures(application=Application.objects.get(pk=project.pk)),
        SETTLEMENT_TARGET_MS,
    )
    call("invoice_taken, a number recorded", lambda: invoice_taken(taken), INVOICE_TARGET_MS)
    call("invoice_taken, a new number", lambda: invoice_taken(free), INVOICE_TARGET_MS)
    if explain:
        out("EXPLAIN (ANALYZE, BUFFERS): every query measured above\n")
        explain_analyze(sqls, out)
    return timings


def run(*, runs: int = 30, warmup: int = 3, explain: bool = False, out=print) -> bool:
    from django.db import connection

    from execution.models import Clawback, Deposit, SpendingLine

    out(
        f"spending review, settlement, invoice check (issue 20) — "
        f"{connection.settings_dict['NAME']}, {os.cpu_count()} CPUs"
    )
    out(
        f"{SpendingLine.objects.count():,} spending lines, {Deposit.objects.count():,} deposits, "
        f"{Clawback.objects.count():,} clawbacks; {runs} timed runs after {warmup} warm-up runs each; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    timings = measure(runs=runs, warmup=warmup, explain=explain, out=out)
    timing_table([(label, row) for label, row, _ in timings.rows], width=42, out=out)
    missed = timings.missed()
    out("")
    out("FAIL: " + "; ".join(missed) if missed else "PASS: every figure within its target")
    return not missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.execution", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the queries measured"
    )
    parser.add_argument("--load-only", action="store_true", help="add the execution data, measure nothing")
    parser.add_argument("--reload", action="store_true", help="drop the execution data and load it afresh")
    parser.add_argument("--drop", action="store_true", help="remove the execution data and stop")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    if args.drop or args.reload:
        drop_execution()
        if args.drop:
            return 0
    load_execution(seed=args.seed)
    if args.load_only:
        return 0
    return 0 if run(runs=args.runs, warmup=args.warmup, explain=args.explain) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
