"""Time mentor suggestions for one application among 2,000 mentors (issue 5; docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.suggestions

Tops the benchmark database's mentor pool up to `--mentors` (default 2,000) synthetic mentors with
varied industries, regions, expertise, capacity and load, then times `mentor_suggestions()` and the
HTTP path `GET /api/v1/mentors/suggestions/?application={id}` as staff, for a selected application
that wants mentoring. Prints median, p95 and queries; exits 1 (FAIL) above 100 ms median.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

from bench.load import DEFAULT_DATABASE_URL, setup_django
from bench.measure import captured_sql, get_ok, signed_in_client, staff_user, summary, time_ms, timing_table

THRESHOLD_MS = 100.0


def ensure_mentors(count: int, seed: int = 7) -> int:
    """Add synthetic mentors (and some active assignments for load) until there are `count`."""
    import datetime as dt

    from django.db import transaction

    from applicants.models import Application
    from mentoring.models import Mentor, MentoringAssignment
    from program.choices import Expertise, Region

    have = Mentor.objects.count()
    if have >= count:
        return 0
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    divisions = [str(n) for n in range(10, 35)]
    regions = list(Region.values)
    expertise = list(Expertise.values)
    new = [
        Mentor(
            name=f"벤치멘토{n:05d}",
            affiliation=rng.choice(["", "스마트 마이스터", "대기업 퇴직 전문가"]),
            expertise=rng.sample(expertise, rng.randint(1, 4)),
            ksic_divisions=rng.sample(divisions, rng.randint(1, 3)),
            regions=rng.sample(regions, rng.randint(1, 3)),
            capacity=rng.choice([1, 2, 2, 3]),
            is_active=rng.random() > 0.05,
        )
        for n in range(have, count)
    ]
    with transaction.atomic():
        created = Mentor.objects.bulk_create(new, batch_size=1000)
        live = list(
            Application.objects.filter(status__in=["selected", "agreement", "building"]).values_list(
                "pk", flat=True
            )[:5000]
        )
        today = dt.date.today()
        assignments = [
            MentoringAssignment(
                mentor=mentor,
                application_id=rng.choice(live),
                starts_on=today - dt.timedelta(days=20),
                ends_on=today + dt.timedelta(days=60),
            )
            for mentor in created
            if live and rng.random() < 0.4
        ]
        MentoringAssignment.objects.bulk_create(assignments, batch_size=1000, ignore_conflicts=True)
    return len(created)


def application_wanting_mentoring(agency_id: int | None = None):
    """The first selected application with a supplier that wants mentoring (in `agency_id`'s programs
    when given: staff open only their own agency's)."""
    from applicants.models import Application

    in_agency = {} if agency_id is None else {"program__agency_id": agency_id}
    application = (
        Application.objects.filter(
            status="selected", wants_mentoring=True, supplier__isnull=False, **in_agency
        )
        .select_related("company", "supplier")
        .order_by("pk")
        .first()
    )
    if application is None:
        raise SystemExit("no selected application that wants mentoring: run `python -m bench.load` first")
    return application


def run(
    *, runs: int = 50, warmup: int = 5, mentors: int = 2000, threshold_ms: float = THRESHOLD_MS, out=print
):
    from django.db import connection

    from accounts.models import Role, User
    from mentoring.models import Mentor
    from mentoring.suggestions import mentor_suggestions

    added = ensure_mentors(mentors)
    application = application_wanting_mentoring()
    # staff of the application's agency: the suggestions answer only within the staff's own agency
    agency_id = application.program.agency_id
    staff = User.objects.filter(role=Role.STAFF, is_active=True, agency_id=agency_id).first()
    staff = staff or staff_user(f"bench-staff-agency-{agency_id}", agency_id=agency_id)
    client = signed_in_client(staff)
    url = f"/api/v1/mentors/suggestions/?application={application.pk}"

    def selector():
        return mentor_suggestions(application=application)

    def http():
        return get_ok(client, url)

    selector_sql, http_sql = captured_sql(selector), captured_sql(http)
    selector_ms, http_ms = time_ms(selector, runs, warmup), time_ms(http, runs, warmup)
    top = selector()
    result = {
        "mentors": Mentor.objects.count(),
        "added": added,
        "selector": summary(selector_ms, len(selector_sql)),
        "http": summary(http_ms, len(http_sql)),
    }
    result["passed"] = result["http"]["median"] <= threshold_ms
    out(f"mentor suggestions — {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    company = application.company
    best = top[0].score if top else "–"
    out(
        f"mentors: {result['mentors']:,} ({added:,} added now); application {application.pk} "
        f"({company.region}, KSIC {company.industry_code[:2]}); best score {best}"
    )
    out(f"{runs} timed runs after {warmup} warm-up runs each\n")
    timing_table(
        [("mentor_suggestions(application=…)", result["selector"]), (f"GET {url}", result["http"])],
        width=52,
        out=out,
    )
    verdict = "PASS" if result["passed"] else "FAIL"
    out(f"\n{verdict}: HTTP median {result['http']['median']:.1f} ms (target ≤ {threshold_ms:.0f} ms)")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--mentors", type=int, default=2000)
    args = parser.parse_args(argv)
    setup_django(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    result = run(runs=args.runs, warmup=args.warmup, mentors=args.mentors)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
