"""Produce the `applications_export` report over every application of the benchmark database, in
a child process per format, and print its time and peak memory (docs/performance.md, issue 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.report_memory

Each child sets Django up, creates the report row (all programs, no filter) and runs the same code
as the Celery task (`reports.runs.report_generate`): the rows are read in chunks of 2,000 and
written as they come (XLSX in xlsxwriter's `constant_memory` mode, CSV line by line). The parent
reads each child's peak RSS (`os.wait4`, and `getrusage(RUSAGE_CHILDREN)` for all of them), checks
the file holds every row, removes the report again, and exits 1 (FAIL) above the threshold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from bench.load import (
    ROOT,
    add_database_url_argument,
    check_benchmark_database,
    database_name,
    setup_measuring_django,
)

THRESHOLD_MB = 300.0


def _child(fmt: str, database_url: str) -> None:
    """Runs in the child: make one report and print what happened as JSON."""
    setup_measuring_django(database_url)
    from django.core.files.storage import default_storage

    from accounts.models import User
    from applicants.models import Application
    from reports.models import Report
    from reports.runs import report_generate

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    staff = User.objects.filter(username="bench-staff").first()
    report = Report.objects.create(kind=Report.Kind.APPLICATIONS_EXPORT, format=fmt, requested_by=staff)
    started = time.perf_counter()
    report = report_generate(report_id=report.pk)
    seconds = time.perf_counter() - started
    result = {
        "report": report.pk,
        "status": report.status,
        "error": report.error,
        "seconds": seconds,
        "applications": Application.objects.count(),
        "path": default_storage.path(report.file.name) if report.file else None,
        "baseline_kb": baseline_kb,
        "peak_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(result))


def _rows_in(path: str, fmt: str) -> int:
    """Data rows in the file, read as a stream (the parent's memory is not what is measured)."""
    if fmt == "csv":
        with open(path, encoding="utf-8-sig") as handle:
            return sum(1 for _line in handle) - 1
    last = 0
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        tail = b""
        while chunk := sheet.read(1 << 20):
            tail = (tail + chunk)[-4096:]
            marker = tail.rfind(b'<row r="')
            if marker != -1:
                end = tail.find(b'"', marker + 8)
                if end != -1:
                    last = int(tail[marker + 8 : end])
    return last - 1  # row 1 is the header


def _cleanup(report_id: int, database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM reports_report WHERE id = %s", (report_id,))


def run_format(fmt: str, database_url: str, *, keep: bool) -> dict:
    command = [sys.executable, "-m", "bench.report_memory", "--child", fmt, "--database-url", database_url]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603 (this module)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the {fmt} child failed (exit {child.returncode}):\n{output}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    result["rows"] = _rows_in(result["path"], fmt) if result["path"] else 0
    result["size_mb"] = os.path.getsize(result["path"]) / 2**20 if result["path"] else 0
    if not keep:
        if result["path"]:
            Path(result["path"]).unlink(missing_ok=True)
        _cleanup(result["report"], database_url)
    return result


HEADER = ("format", "rows", "seconds", "rows/s", "file MB", "Django idle MB", "peak RSS MB")
WIDTHS = (6, 9, 7, 7, 7, 14, 11)


def _line(cells) -> str:
    first, *rest = cells
    return (
        "| "
        + " | ".join([f"{first:<{WIDTHS[0]}}", *(f"{c:>{w}}" for c, w in zip(rest, WIDTHS[1:], strict=True))])
        + " |"
    )


def run(database_url: str, formats: list[str], threshold_mb: float, *, keep: bool = False, out=print) -> bool:
    name = database_name(database_url)
    out(f"applications_export over the benchmark database ({name}), {os.cpu_count()} CPUs")
    out(_line(HEADER))
    out("|" + "|".join("-" * (w + 2) for w in WIDTHS) + "|")
    passed = True
    for fmt in formats:
        r = run_format(fmt, database_url, keep=keep)
        complete = r["status"] == "done" and r["rows"] == r["applications"]
        passed &= complete and r["peak_rss_mb"] <= threshold_mb
        out(
            _line(
                (
                    fmt,
                    f"{r['rows']:,}",
                    f"{r['seconds']:.1f}",
                    f"{r['rows'] / r['seconds']:,.0f}",
                    f"{r['size_mb']:.1f}",
                    f"{r['baseline_kb'] / 1024:.0f}",
                    f"{r['peak_rss_mb']:.0f}",
                )
            )
        )
        if not complete:
            out(f"  incomplete: {r['status']} {r['error']!r}, {r['rows']:,} of {r['applications']:,} rows")
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    verdict = "PASS" if passed else "FAIL"
    out(
        f"\n{verdict}: peak RSS of the report processes {children_mb:.0f} MB "
        f"(RUSAGE_CHILDREN; limit {threshold_mb:.0f} MB)"
    )
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report_memory", description=__doc__.split("\n\n")[0]
    )
    add_database_url_argument(parser)
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"], choices=["xlsx", "csv"])
    parser.add_argument("--threshold-mb", type=float, default=THRESHOLD_MB)
    parser.add_argument("--keep", action="store_true", help="keep the reports and their files")
    parser.add_argument("--child", choices=["xlsx", "csv"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.database_url)
        return 0
    if not check_benchmark_database(parser, args.database_url):
        return 2
    return 0 if run(args.database_url, args.formats, args.threshold_mb, keep=args.keep) else 1


if __name__ == "__main__":
    sys.exit(main())
