"""Import 100,000 support records from XLSX and from CSV through the services (SPEC §15.5, issue 21),
and print the seconds of the dry run and of the write and the peak memory (docs/performance.md).

    python -m bench.imports [--rows 100000] [--database-url postgres://…/smartfactory_imports]

A scratch PostgreSQL database (created when missing, migrated). The files are written first, streamed
(imports.writing: XLSX in xlsxwriter's constant_memory mode, CSV line by line). Each format then runs in
a child process, as the worker would: import_start (stores the file), import_check (the dry run),
import_confirm and import_write (the batched upsert), then the same file again (every row unchanged).
The parent reads each child's peak RSS (os.wait4). Targets: check + write ≤ 60 s, peak ≤ 300 MB, per
format; exit 1 on a miss. The support records the run wrote are deleted before each format.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import ROOT, ensure_database, setup_measuring_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/smartfactory_imports"
TARGET_SECONDS = 60.0
TARGET_MB = 300.0
PROGRAM = "벤치 상생형 스마트공장"


def rows(count: int):
    from program.business_number import check_digit

    levels, statuses = ("기초", "고도화1", "고도화2"), ("완료", "구축", "선정", "포기")
    for index in range(count):
        first_nine = f"{100 + index % 800:03d}{81 + index % 7:02d}{index // 5600:04d}"
        number = first_nine + str(check_digit(first_nine))
        yield (
            f"{number[:3]}-{number[3:5]}-{number[5:]}",
            f"벤치기업{index:06d}(주)",
            f"{PROGRAM} {index % 5}",
            2015 + index % 10,
            levels[index % 3],
            10_000_000 + (index % 400) * 500_000,
            statuses[index % 4],
        )


def _child(path: str, url: str) -> None:
    """Runs in the child: one file through the services, twice; prints the figures as JSON."""
    setup_measuring_django(url)
    from django.core.files import File

    from accounts.models import Role, User
    from applicants.models import SupportRecord
    from imports import services
    from program.models import Agency

    agency, _ = Agency.objects.get_or_create(name="벤치 협업기관")
    staff, _ = User.objects.get_or_create(
        username="bench-imports", defaults={"role": Role.STAFF, "agency": agency}
    )
    SupportRecord.objects.filter(program_name__startswith=PROGRAM).delete()
    figures: dict = {}
    for attempt in ("first", "again"):
        with open(path, "rb") as handle:
            started, cpu_started = time.perf_counter(), time.process_time()
            run = services.import_start(
                staff, upload=File(handle, name=os.path.basename(path)), kind="support_records", queue=False
            )
            run = services.import_check(run)
            checked, cpu_checked = time.perf_counter(), time.process_time()
            run = services.import_write(services.import_confirm(staff, run, queue=False))
            done, cpu_done = time.perf_counter(), time.process_time()
        figures[attempt] = {
            "check_s": round(checked - started, 2),
            "write_s": round(done - checked, 2),
            # this process's CPU (not PostgreSQL's): what a busy machine does not stretch
            "check_cpu_s": round(cpu_checked - cpu_started, 2),
            "write_cpu_s": round(cpu_done - cpu_checked, 2),
            "rows": run.rows,
            "valid": run.valid,
            "errors": run.error_count,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "status": run.status,
        }
        run.file.delete(save=False)
    print(json.dumps(figures))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.database_url)
        return 0
    ensure_database(args.database_url, reset=False)
    env = dict(os.environ, DATABASE_URL=args.database_url, DEBUG="false")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup_measuring_django(args.database_url)
    from imports.writing import write_file

    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("xlsx", "csv"):
            path = str(Path(folder) / f"지원이력_{args.rows}.{fmt}")
            started = time.perf_counter()
            write_file(path, "support_records", fmt, rows(args.rows))
            made = time.perf_counter() - started
            command = [
                sys.executable,
                "-m",
                "bench.imports",
                "--child",
                path,
                "--database-url",
                args.database_url,
            ]
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)  # noqa: S603 (this module)
            output = child.stdout.read() if child.stdout else b""
            _pid, status, usage = os.wait4(child.pid, 0)
            peak_mb = usage.ru_maxrss / 1024
            if status:
                print(f"{fmt}: the child failed ({status})", file=sys.stderr)
                return 1
            figures = json.loads(output.decode().strip().splitlines()[-1])
            first, again = figures["first"], figures["again"]
            total = first["check_s"] + first["write_s"]
            ok = total <= TARGET_SECONDS and peak_mb <= TARGET_MB and first["created"] == args.rows
            ok = ok and again["unchanged"] == args.rows
            failed = failed or not ok
            print(
                f"load {os.getloadavg()[0]:.1f}; "
                f"{fmt}: {os.path.getsize(path) / 1e6:.1f} MB written in {made:.1f} s; "
                f"check {first['check_s']} s + write {first['write_s']} s = {total:.1f} s "
                f"(created {first['created']:,}; CPU {first['check_cpu_s']} + {first['write_cpu_s']} s); "
                f"again: check {again['check_s']} s + write {again['write_s']} s "
                f"(unchanged {again['unchanged']:,}); peak RSS {peak_mb:.0f} MB "
                f"[{'ok' if ok else 'FAIL'}: ≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_MB:.0f} MB]"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
