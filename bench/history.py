"""Issue 21's support history figures (SPEC §15.4) at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.history [--explain]

Target: `funds.history.company_history` and `company_warnings` together ≤ 20 ms per company (p50 and
p95 over 200 companies).

On a database loaded by `bench.load`, `load_history()` first adds (once; `--drop` takes them away,
`--reload` drops and loads afresh), by COPY in one transaction, 500,000 imported support records
(`applicants.SupportRecord`) over 200,000 business numbers: the numbers of 15,000 of the 20,000
companies `bench.load` made and 185,000 others (valid check digits, never a company's), two or three
records each in distinct years 2014–2025, mostly completed, at the three levels. A few companies also
get a participation ban, so the ban check finds rows as well as none.

Then it times, with the real selectors, the history and the warnings of 200 random companies that
have both applications that reached selection and imported records: for each company the newest of
its applications is the one the staff page shows. Each company is timed `--runs` times after one
warm-up; its median is its figure, and the table gives p50 and p95 over the companies. Exits 1 when
p95 misses the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
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
from bench.measure import captured_sql, percentile

TARGET_MS = 20.0
RECORDS = 500_000
NUMBERS = 200_000
COMPANIES_WITH_RECORDS = 15_000
COMPANY_BANS = 400
SAMPLE = 200
PROGRAMS = [
    "스마트공장 보급확산 사업",
    "스마트공장 고도화 지원사업",
    "스마트 제조혁신 바우처",
    "지역특화 스마트공장 구축",
    "디지털 클러스터 스마트공장",
    "농공단지 스마트화 지원",
]
LEVELS = (("basic", 0.6, 50_000_000), ("advanced1", 0.3, 120_000_000), ("advanced2", 0.1, 240_000_000))
STATUSES = (
    ("completed", 0.82),
    ("selected", 0.04),
    ("building", 0.04),
    ("withdrawn", 0.06),
    ("terminated", 0.04),
)


# ---------------------------------------------------------------------------------------------
# The data


def history_loaded() -> bool:
    from applicants.models import SupportRecord

    return SupportRecord.objects.exists()


def drop_history(out=print) -> None:
    """Empty the support records and the bans this loader wrote (bench.load writes neither)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE applicants_supportrecord")
        cursor.execute("DELETE FROM applicants_participationban WHERE basis = %s", [BAN_BASIS])
    out(f"dropped the support records in {time.perf_counter() - started:.1f} s")


BAN_BASIS = "bench.history"


def _other_numbers(rng: random.Random, taken: set[str], count: int) -> list[str]:
    """`count` valid business numbers that are no company's (the check digit of docs/domain.md §6)."""
    from program.business_number import check_digit

    numbers: list[str] = []
    seen = set(taken)
    while len(numbers) < count:
        first_nine = f"{rng.randint(100_000_000, 999_999_999)}"
        number = first_nine + str(check_digit(first_nine))
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers


def _pick(rng: random.Random, weighted):
    roll, total = rng.random(), 0.0
    for item in weighted:
        total += item[1]
        if roll < total:
            return item
    return weighted[-1]


def _record_rows(rng: random.Random, numbers: list[str]):
    created = dt.datetime(2026, 11, 1, 9, tzinfo=KST)
    extra = RECORDS - 2 * len(numbers)  # this many numbers get a third record
    for n, number in enumerate(numbers):
        count = 3 if n < extra else 2
        for year in sorted(rng.sample(range(2014, 2026), count)):
            level, _weight, cap = _pick(rng, LEVELS)
            status = _pick(rng, STATUSES)[0]
            government = rng.randint(cap // 4_000_000, cap // 1_000_000) * 1_000_000
            yield (
                number,
                f"(주)벤치정밀{n % 9_973:04d}",
                f"{rng.choice(PROGRAMS)} ({year})",
                year,
                level,
                government,
                status,
                "import",
                created,
            )


RECORD_COLUMNS = (
    "business_number company_name program_name year level government status source created_at".split()
)


def load_history(*, seed: int = 21, out=print) -> int | None:
    """Add the support records (once): None when they were there already, else the rows loaded."""
    from django.db import connection, transaction

    from applicants.models import Company, ParticipationBan, SupportRecord

    if history_loaded():
        out("support records already loaded (--reload loads them afresh, --drop removes them)")
        return None
    rng = random.Random(f"bench-history:{seed}")  # noqa: S311 (synthetic data, not secrets)
    started = time.perf_counter()
    companies = list(Company.objects.order_by("pk").values_list("business_number", flat=True))
    numbers = rng.sample(companies, min(COMPANIES_WITH_RECORDS, len(companies)))
    numbers += _other_numbers(rng, set(companies), NUMBERS - len(numbers))
    rng.shuffle(numbers)  # imported in no particular order, as a national export comes
    tables = [SupportRecord._meta.db_table]
    with transaction.atomic():
        with connection.connection.cursor() as cursor:
            if _is_superuser(cursor):
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            indexes = _drop_secondary_indexes(cursor, tables)
            loaded = _copy(cursor, SupportRecord, RECORD_COLUMNS, _record_rows(rng, numbers))
            out(f"  support records {loaded:>10,} rows  {time.perf_counter() - started:7.2f} s")
            t = time.perf_counter()
            for definition in indexes:
                cursor.execute(definition)
            out(f"  create {len(indexes)} indexes              {time.perf_counter() - t:7.2f} s")
        ParticipationBan.objects.bulk_create(
            ParticipationBan(
                subject_type="company",
                business_number=number,
                reason="허위 증빙 제출",
                basis=BAN_BASIS,
                starts_on=TODAY - dt.timedelta(days=rng.randint(0, 900)),
                ends_on=TODAY + dt.timedelta(days=rng.randint(1, 400)),
            )
            for number in rng.sample(companies, COMPANY_BANS)
        )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables[0]}")
        cursor.execute("ANALYZE applicants_participationban")
    out(f"loaded the support records in {time.perf_counter() - started:.1f} s")
    return loaded


# ---------------------------------------------------------------------------------------------
# The measures


def _sample(rng: random.Random) -> list[int]:
    """SAMPLE application ids: for random companies with both an application that reached selection
    and imported records, the newest of their applications."""
    from django.db.models import Exists, OuterRef

    from applicants.models import Application, Company, SupportRecord
    from funds.history import REACHED_SELECTION

    reached = Application.objects.filter(REACHED_SELECTION, company=OuterRef("pk"))
    records = SupportRecord.objects.filter(business_number=OuterRef("business_number"))
    both = list(
        Company.objects.filter(Exists(reached), Exists(records)).order_by("pk").values_list("pk", flat=True)
    )
    if len(both) < SAMPLE:
        raise SystemExit(f"only {len(both)} companies have both: run `python -m bench.history --reload`")
    chosen = rng.sample(both, SAMPLE)
    newest = {}
    for company_id, pk in (
        Application.objects.filter(company_id__in=chosen).order_by("pk").values_list("company_id", "pk")
    ):
        newest[company_id] = pk
    return [newest[company_id] for company_id in chosen]


def _loaded(application_id: int):
    """The application as the staff page has it loaded (program and company joined in)."""
    from applicants.models import Application

    return Application.objects.select_related("program", "company").get(pk=application_id)


def _one(application) -> tuple[list, object]:
    """What the staff page's panel does for one company: the history without the application shown,
    and the warnings."""
    from funds.history import company_history, company_warnings

    history = company_history(application.company.business_number, exclude_application_id=application.pk)
    return history, company_warnings(application)


def measure(*, runs: int, seed: int, explain: bool, out=print) -> dict:
    from django.db import connection

    rng = random.Random(f"bench-history-sample:{seed}")  # noqa: S311
    ids = _sample(rng)
    per_company, rows, warned, queries = [], [], 0, 0
    for application_id in ids:
        application = _loaded(application_id)
        history, warnings = _one(application)  # warm-up
        rows.append(len(history))
        warned += bool(warnings.codes)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            _one(application)
            samples.append((time.perf_counter() - started) * 1000)
        per_company.append(statistics.median(samples))
    # What one query by primary key takes now: how busy the machine is, to read the figures by.
    baseline = [
        (lambda started: (_loaded(ids[0]), (time.perf_counter() - started) * 1000)[1])(time.perf_counter())
        for _ in range(50)
    ]
    first = _loaded(ids[0])
    sqls = captured_sql(lambda: _one(first))
    queries = len(sqls)
    if explain:
        out("EXPLAIN (ANALYZE, BUFFERS): one company's queries\n")
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                out("\n".join(row[0] for row in cursor.fetchall()) + "\n")
    return {
        "p50": percentile(per_company, 50),
        "p95": percentile(per_company, 95),
        "max": max(per_company),
        "rows": statistics.mean(rows),
        "rows_max": max(rows),
        "warned": warned,
        "queries": queries,
        "baseline": statistics.median(baseline),
    }


def run(*, runs: int = 5, seed: int = 21, explain: bool = False, out=print) -> bool:
    from django.db import connection

    from applicants.models import Application, SupportRecord

    out(f"support history (issue 21, SPEC §15.4) — {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    out(
        f"{SupportRecord.objects.count():,} support records, {Application.objects.count():,} applications; "
        f"{SAMPLE} companies × {runs} timed runs after one warm-up; load average {os.getloadavg()[0]:.1f}"
    )
    figures = measure(runs=runs, seed=seed, explain=explain, out=out)
    out(
        f"history rows per company: mean {figures['rows']:.1f}, max {figures['rows_max']}; "
        f"companies with a warning: {figures['warned']} of {SAMPLE}; "
        f"one primary-key query (the application, joined) takes {figures['baseline']:.1f} ms now"
    )
    out("| measure (per company: history, warnings) | p50 ms | p95 ms | max ms | queries |")
    out("|---|---|---|---|---|")
    out(
        f"| company_history + company_warnings | {figures['p50']:.1f} | {figures['p95']:.1f} | "
        f"{figures['max']:.1f} | {figures['queries']} |"
    )
    passed = figures["p95"] <= TARGET_MS
    out("")
    out("PASS: p95 within 20 ms" if passed else f"FAIL: p95 {figures['p95']:.1f} ms > {TARGET_MS:.0f} ms")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per company (its median counts)")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) one company's queries"
    )
    parser.add_argument("--load-only", action="store_true", help="add the support records, measure nothing")
    parser.add_argument("--reload", action="store_true", help="drop the support records and load them afresh")
    parser.add_argument("--drop", action="store_true", help="remove the support records and stop")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    if args.drop or args.reload:
        drop_history()
        if args.drop:
            return 0
    load_history(seed=args.seed)
    if args.load_only:
        return 0
    return 0 if run(runs=args.runs, seed=args.seed, explain=args.explain) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
