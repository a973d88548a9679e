"""Bulk-load a national-scale synthetic data set into a PostgreSQL database, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.load [--reset]

The database is created when missing and migrated; the rows then arrive through psycopg 3's
`cursor.copy` in one transaction (a load that fails leaves the tables empty), followed by
`VACUUM (ANALYZE)`. At scale 1 the data set is:

- 10 sponsors × 10 years (2017–2026) = 100 programs with the real policies of docs/domain.md §3.1
  (3:3:4 before 2022, 유형1 with caps from 2022, 유형2 for one sponsor from 2022);
- 20,000 companies (valid, unique business numbers; 17 시·도; KSIC 10xxx–34xxx), 500 suppliers;
- 100,000 applications spread over the programs and every status (the older the program, the
  more of them ended), with a cost share (program.cost_share.split_cost) for each one ever selected;
- 1,000,000 ledger rows: sponsor contributions (with their Contribution rows), the government
  budget, commitments at selection, releases on withdrawal, and payments in tranches (with their
  Disbursement rows, split pro rata as funds.services does); every pot stays non-negative and no
  application is paid more than it was committed;
- 50,000 outcomes (unique per application and KPI): completed projects and a comparison group of
  rejected or withdrawn applicants.

Everything is a function of the seed, so two loads at the same scale hold the same rows. The
database is marked as loaded (a COMMENT ON DATABASE) only once the load committed; `--if-empty`
skips a database that carries the mark. `load()` is the reusable entry point.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from importlib import import_module
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/smartfactory_bench"
MARK = "smartfactory-bench"
FORMAT_VERSION = 1
KST = ZoneInfo("Asia/Seoul")
TODAY = dt.date(2026, 11, 21)
DAY = dt.timedelta(days=1)
EOK = 100_000_000  # 1억 원


class LoadError(RuntimeError):
    """The database cannot be loaded as asked (already loaded, foreign rows, broken invariant)."""


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind. `Scale.of(0.1)` is a tenth of the national-scale default."""

    sponsors: int = 10
    years: int = 10
    companies: int = 20_000
    suppliers: int = 500
    applications: int = 100_000
    ledger_rows: int = 1_000_000
    outcomes: int = 50_000

    @classmethod
    def of(cls, factor: float) -> Scale:
        base = cls()
        return cls(
            sponsors=base.sponsors,
            years=base.years,
            companies=max(50, round(base.companies * factor)),
            suppliers=max(5, round(base.suppliers * factor)),
            applications=max(100, round(base.applications * factor)),
            ledger_rows=max(1_000, round(base.ledger_rows * factor)),
            outcomes=max(50, round(base.outcomes * factor)),
        )


# ---------------------------------------------------------------------------------------------
# The database: create, reset, mark


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def ensure_database(url: str, *, reset: bool) -> bool:
    """Create the database when missing (drop it first on `reset`). True when it was created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        if reset:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def read_mark(url: str) -> dict | None:
    """The load mark of the database (what was loaded, when), or None."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    try:
        mark = json.loads(row[0]) if row and row[0] else None
    except ValueError:
        return None
    return mark if isinstance(mark, dict) and mark.get("mark") == MARK else None


def _write_mark(cursor, name: str, mark: dict) -> None:
    from psycopg import sql

    cursor.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(json.dumps(mark)))
    )


def add_database_url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL URL (default: $DATABASE_URL, else %(default)s)",
    )


def check_benchmark_database(parser, url: str) -> bool:
    """Whether a measuring command can use `url`: False (after saying why) when it cannot be
    reached; a warning when it carries no load mark."""
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark needs PostgreSQL: DATABASE_URL=postgres://…")
    try:
        mark = read_mark(url)
    except Exception as error:  # psycopg.OperationalError: no server, no database
        print(f"cannot use {url}: {error}\nload it first: python -m bench.load", file=sys.stderr)
        return False
    if mark is None:
        print(
            "warning: the database carries no bench.load mark; figures may not be comparable", file=sys.stderr
        )
    return True


def connect_benchmark_database(parser, url: str) -> bool:
    """Set Django up against a loaded benchmark database for a measuring command; False (after
    saying why) when there is none."""
    if not check_benchmark_database(parser, url):
        return False
    setup_measuring_django(url)
    return True


def setup_measuring_django(url: str) -> None:
    """`setup_django` as a measurement wants it: DEBUG off unless asked, no whitenoise warning."""
    os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug pages
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # whitenoise without collectstatic
    setup_django(url)


def setup_django(url: str) -> None:
    """Point Django at `url` and set it up (once per process)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# The data set, generated in memory (no database access)


class App:
    """One application while it is generated; `id` is given once all are sorted by creation."""

    __slots__ = (
        "agreement",
        "company",
        "created",
        "decided",
        "ended",
        "id",
        "level",
        "pay_until",
        "program",
        "score",
        "selected",
        "status",
        "submitted",
        "supplier",
        "title",
        "total",
        "updated",
        "wants_mentoring",
    )


S_DRAFT, S_SUBMITTED, S_SCREENING, S_CHANGES = "draft", "submitted", "screening", "changes_requested"
S_EVALUATION, S_SELECTED, S_REJECTED, S_AGREEMENT = "evaluation", "selected", "rejected", "agreement"
S_BUILDING, S_REVIEW, S_COMPLETED, S_WITHDRAWN = "building", "completion_review", "completed", "withdrawn"
FUNDED_LATER = (S_SELECTED, S_AGREEMENT, S_BUILDING, S_REVIEW, S_COMPLETED)

# Status mix by the age of the program (0 = this year's, still open).
STATUS_MIX = {
    0: {
        S_DRAFT: 14,
        S_SUBMITTED: 22,
        S_SCREENING: 18,
        S_CHANGES: 8,
        S_EVALUATION: 18,
        S_SELECTED: 8,
        S_REJECTED: 7,
        S_WITHDRAWN: 5,
    },
    1: {
        S_REJECTED: 30,
        S_WITHDRAWN: 6,
        S_SELECTED: 3,
        S_AGREEMENT: 8,
        S_BUILDING: 30,
        S_REVIEW: 13,
        S_COMPLETED: 10,
    },
    2: {S_REJECTED: 35, S_WITHDRAWN: 7, S_BUILDING: 3, S_REVIEW: 5, S_COMPLETED: 50},
    3: {S_REJECTED: 36, S_WITHDRAWN: 8, S_COMPLETED: 56},
}

# KPI: baseline range, mean relative change for adopters, whether the value is a percentage.
KPIS = {
    "productivity": (50, 500, 0.25, False),
    "defect_rate": (0.5, 15, -0.276, True),
    "unit_cost": (1_000, 100_000, -0.292, False),
    "lead_time": (3, 60, -0.19, False),
    "on_time_delivery": (70, 98, 0.05, True),
    "revenue": (1e9, 3e10, 0.15, False),
    "operating_profit": (5e7, 2e9, 0.12, False),
    "employees": (10, 300, 0.05, False),
    "rd_spend": (1e7, 5e8, 0.07, False),
    "accidents": (0, 5, -0.3, False),
}
COMPANY_ENDINGS = (
    "정밀 테크 산업 금속 전자 기계 화학 플라스틱 오토텍 하이텍 푸드 텍스 엔지니어링 소재 바이오".split()
)
SUPPLIER_ENDINGS = "시스템 솔루션 데이터 오토메이션 팩토리 아이티 인포텍 엠이에스".split()
KSIC_DIVISION_WEIGHTS = {
    d: (3 if d in (25, 26, 28, 29, 30) else 2 if d in (10, 20, 22, 24) else 1) for d in range(10, 35)
}
FACTORY_LEVELS = {"none": 40, "basic": 30, "intermediate1": 18, "intermediate2": 9, "advanced": 3}
SOLUTION_AREAS = ["MES", "ERP", "PLM", "SCM", "FEMS", "vision", "POP", "QMS", "automation", "iot"]


def _weighted(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


class DataSet:
    """All the rows of one load, generated in memory by `build()` (no database access; needs Django
    set up for the domain helpers) and handed out by `sponsor_table()` and `tables()`."""

    def __init__(self, scale: Scale, seed: int, staff_id: int | None):
        from funds.services import split_payment
        from ops import demo
        from program.business_number import check_digit
        from program.cost_share import split_cost
        from program.models import DEFAULT_RUBRIC, default_required_documents

        self.scale, self.seed, self.staff_id = scale, seed, staff_id
        self._check_digit, self._split_cost, self._split_payment = check_digit, split_cost, split_payment
        self.rng = random.Random(f"bench:{seed}")  # noqa: S311 (synthetic data, not secrets)
        self.demo = demo
        self.rubric = json.dumps(DEFAULT_RUBRIC, ensure_ascii=False)
        self.required_documents = json.dumps(default_required_documents())
        self.region_weights = {str(region): weight for region, weight in demo.REGION_WEIGHTS.items()}
        self._midnights: dict[dt.date, dt.datetime] = {}

    # -- helpers --------------------------------------------------------------------------------

    def _at(self, day: dt.date) -> dt.datetime:
        """A moment during office hours (08–19 h) of `day`, in Korean time."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = dt.datetime(day.year, day.month, day.day, tzinfo=KST)
        return midnight + dt.timedelta(seconds=28_800 + int(self.rng.random() * 39_600))

    def _day_between(self, start: dt.date, end: dt.date) -> dt.date:
        """A day from `start` to `end` (at most TODAY), both included."""
        days = (min(end, TODAY) - start).days
        return start if days <= 0 else start + dt.timedelta(days=int(self.rng.random() * (days + 1)))

    def _person(self) -> str:
        family, first, second = self.demo.FAMILY_NAMES, self.demo.GIVEN_FIRST, self.demo.GIVEN_SECOND
        return self.rng.choice(family) + self.rng.choice(first) + self.rng.choice(second)

    def _region(self) -> str:
        return _weighted(self.rng, self.region_weights)

    # -- generation -----------------------------------------------------------------------------

    def build(self) -> DataSet:
        numbers = self._business_numbers(self.scale.sponsors + self.scale.companies + self.scale.suppliers)
        self._sponsors(numbers[: self.scale.sponsors])
        self._companies(numbers[self.scale.sponsors : self.scale.sponsors + self.scale.companies])
        self._suppliers(numbers[self.scale.sponsors + self.scale.companies :])
        self._programs()
        self._applications()
        self._money()
        self._outcomes()
        return self

    def _business_numbers(self, n: int) -> list[str]:
        prefixes = self.rng.sample(range(101_000_000, 1_000_000_000), n)
        return [f"{p}{self._check_digit(str(p))}" for p in prefixes]

    def _sponsors(self, numbers: list[str]) -> None:
        kinds = ["large"] * 7 + ["midsize"] * 2 + ["public"]
        self.sponsors = [
            (
                i,
                f"벤치마크 주관기관 {i:02d}",
                number,
                kinds[(i - 1) % len(kinds)],
                self._at(dt.date(2016, 1, 4) + i * DAY),
            )
            for i, number in enumerate(numbers, 1)
        ]
        self.agencies = [(i, name) for i, name in enumerate(self.demo.AGENCIES, 1)]

    def _companies(self, numbers: list[str]) -> None:
        rng = self.rng
        divisions = list(KSIC_DIVISION_WEIGHTS)
        weights = list(KSIC_DIVISION_WEIGHTS.values())
        subclasses = {d: [f"{d}{rng.randrange(100, 1000)}" for _ in range(6)] for d in divisions}
        rows = []
        self.company_partner = []
        for i, number in enumerate(numbers, 1):
            division = rng.choices(divisions, weights=weights)[0]
            employees = max(5, min(299, int(rng.lognormvariate(3.4, 0.8))))
            roll = rng.random()
            partner_of = rng.randint(1, self.scale.sponsors) if roll < 0.15 else None
            is_partner = roll < 0.18  # a few flagged partners without a named sponsor
            self.company_partner.append(partner_of)
            rows.append(
                (
                    i,
                    number,
                    f"{rng.choice(self.demo.NAME_HEADS)}{rng.choice(COMPANY_ENDINGS)} {i:05d}",
                    self._person(),
                    self._region(),
                    rng.choice(subclasses[division]),
                    employees,
                    employees * rng.randrange(80, 400) * 1_000_000,
                    dt.date(rng.randint(1975, 2021), rng.randint(1, 12), rng.randint(1, 28)),
                    _weighted(rng, FACTORY_LEVELS),
                    is_partner,
                    partner_of,
                    self._at(self._day_between(dt.date(2016, 1, 1), TODAY)),
                )
            )
        self.companies = rows

    def _suppliers(self, numbers: list[str]) -> None:
        rng = self.rng
        self.suppliers = [
            (
                i,
                f"{rng.choice(self.demo.NAME_HEADS)}{rng.choice(SUPPLIER_ENDINGS)} {i:04d}",
                number,
                json.dumps(rng.sample(SOLUTION_AREAS, rng.randint(1, 3))),
                self._region(),
                self._at(self._day_between(dt.date(2016, 1, 1), dt.date(2024, 12, 31))),
            )
            for i, number in enumerate(numbers, 1)
        ]

    def _programs(self) -> None:
        from program.cost_share import CostSharePolicy

        demo = self.demo
        first_year = TODAY.year - self.scale.years + 1
        self.programs = []  # dicts, id order = year-major (how they would be registered)
        for year in range(first_year, TODAY.year + 1):
            for sponsor in self.sponsors:
                sponsor_id, sponsor_name = sponsor[0], sponsor[1]
                if year < 2022:
                    policy, track = demo.POLICY_334, "3:3:4"
                elif sponsor_id == self.scale.sponsors:
                    policy, track = demo.POLICY_TYPE2, "유형2"
                else:
                    policy, track = demo.POLICY_TYPE1, "유형1"
                if year == TODAY.year:
                    opens, closes, status = dt.date(year, 9, 1), dt.date(year, 12, 15), "open"
                else:
                    opens, closes = dt.date(year, 3, 2), dt.date(year, 4, 30)
                    status = "closed" if year == TODAY.year - 1 else "archived"
                self.programs.append(
                    {
                        "id": len(self.programs) + 1,
                        "title": f"{year}년 {sponsor_name} 상생형 스마트공장 구축지원사업",
                        "year": year,
                        "sponsor": sponsor_id,
                        "agency": 1 + (sponsor_id + year) % len(self.agencies),
                        "track": track,
                        "policy": policy,
                        "cost_policy": CostSharePolicy(
                            gov_ratio=policy["gov_ratio"],
                            sponsor_ratio=policy["sponsor_ratio"],
                            sme_ratio=policy["sme_ratio"],
                            gov_caps={
                                "basic": policy["gov_cap_basic"],
                                "advanced1": policy["gov_cap_advanced1"],
                                "advanced2": policy["gov_cap_advanced2"],
                            },
                            rounding_unit=1000,
                            cap_excess_to=policy["cap_excess_to"],
                        ),
                        "basic_only": track == "유형2",
                        "opens": opens,
                        "closes": closes,
                        "status": status,
                        "created": self._at(opens - 60 * DAY),
                    }
                )

    def _applications(self) -> None:
        rng, demo = self.rng, self.demo
        n_programs = len(self.programs)
        per_program, extra = divmod(self.scale.applications, n_programs)
        apps: list[App] = []
        for index, program in enumerate(self.programs):
            count = per_program + (1 if index < extra else 0)
            age = min(3, TODAY.year - program["year"])
            mix = STATUS_MIX[age]
            for company in rng.sample(range(1, self.scale.companies + 1), min(count, self.scale.companies)):
                a = App()
                a.program, a.company = program, company
                a.status = _weighted(rng, mix)
                a.level = (
                    "basic"
                    if program["basic_only"]
                    else _weighted(rng, {"basic": 60, "advanced1": 30, "advanced2": 10})
                )
                if program["basic_only"]:
                    a.total = 20_000_000
                elif a.level == "basic":
                    a.total = rng.randint(20_000, 80_000) * 1_000
                elif a.level == "advanced1":
                    a.total = rng.randint(80_000, 300_000) * 1_000
                else:
                    a.total = rng.randint(200_000, 800_000) * 1_000
                if a.status == S_DRAFT and rng.random() < 0.3:
                    a.total = None
                a.wants_mentoring = rng.random() < 0.4
                a.supplier = rng.randint(1, self.scale.suppliers) if rng.random() < 0.85 else None
                a.title = f"{rng.choice(demo.SOLUTIONS)} 도입을 통한 {rng.choice(demo.GOALS)}"
                self._timeline(a, program, age)
                apps.append(a)
        apps.sort(key=lambda a: a.created)
        for i, a in enumerate(apps, 1):
            a.id = i
        self.apps = apps

    def _timeline(self, a: App, program: dict, age: int) -> None:
        """Dates and score that fit the status, never after TODAY."""
        rng = self.rng
        status = a.status
        # A withdrawal after selection leaves commitments to release; before it, nothing.
        a.selected = status in FUNDED_LATER or (
            status == S_WITHDRAWN and rng.random() < (0.5 if age else 0.2)
        )
        decision = a.selected or status == S_REJECTED
        last = min(program["closes"], TODAY - (60 if decision else 0) * DAY)
        created = self._day_between(program["opens"] - 10 * DAY, last)
        submitted = None if status == S_DRAFT else self._day_between(created, last)
        if status == S_WITHDRAWN and not a.selected and rng.random() < 0.3:
            submitted = None  # gave up on a draft
        a.created = self._at(created)
        a.submitted = None if submitted is None else self._at(submitted)
        a.decided = a.agreement = a.ended = a.pay_until = None
        end = submitted or created
        if decision:
            start = end + (20 if age == 0 else 30) * DAY
            decided = self._day_between(start, start + (25 if age == 0 else 45) * DAY)
            a.decided = self._at(decided)
            end = decided
        if a.selected:
            agreement = decided + rng.randint(20, 40) * DAY
            build_end = min(agreement + rng.randint(150, 300) * DAY, TODAY - 30 * DAY)
            a.agreement = agreement
            if status == S_AGREEMENT:
                end = agreement
            elif status == S_BUILDING:
                end = agreement + rng.randint(10, 30) * DAY
                a.pay_until = min(agreement + 300 * DAY, TODAY)
            elif status in (S_REVIEW, S_COMPLETED):
                end = a.pay_until = build_end
                if status == S_COMPLETED:
                    end = build_end + rng.randint(10, 30) * DAY
            elif status == S_WITHDRAWN:
                if age:  # possibly after some payments
                    end = self._day_between(agreement + 30 * DAY, agreement + 200 * DAY)
                    a.pay_until = end - DAY
                else:
                    end = self._day_between(decided + 5 * DAY, decided + 15 * DAY)
            a.ended = end = min(end, TODAY)
        elif status == S_WITHDRAWN:
            end = self._day_between(end, end + 30 * DAY)
        a.updated = max(a.created, self._at(end)) if end != created else a.created
        if a.decided is not None:
            a.updated = max(a.updated, a.decided)
        scored = a.selected or (status == S_REJECTED and rng.random() < 0.7)
        scored = scored or (status == S_EVALUATION and rng.random() < 0.5)
        if scored:
            low, high = (72, 98) if a.selected else (45, 82)
            a.score = f"{rng.uniform(low, high):.2f}"
        else:
            a.score = None

    def _money(self) -> None:
        """Cost shares, contributions, disbursements and the ledger, to `scale.ledger_rows` rows."""
        rng = self.rng
        selected = [a for a in self.apps if a.selected]
        shares = {a.id: self._split_cost(a.total, a.level, a.program["cost_policy"]) for a in selected}
        self.cost_shares = [
            (i, a.id, s.total, s.government, s.sponsor, s.sme, s.capped, a.decided)
            for i, (a, s) in enumerate(((a, shares[a.id]) for a in selected), 1)
        ]

        # What each application is paid, as a share of its commitment.
        paid_share = {}
        for a in selected:
            if a.status == S_COMPLETED:
                paid_share[a.id] = 1.0
            elif a.status in (S_BUILDING, S_REVIEW):
                paid_share[a.id] = rng.uniform(0.3, 0.6)
            elif a.pay_until is not None and rng.random() < 0.4:  # withdrawn during the build
                paid_share[a.id] = rng.uniform(0.2, 0.4)
        paid = [a for a in selected if a.id in paid_share]

        # Count the rows the plan fixes; payment tranches (2 rows each) make up the rest.
        n_contributions = {p["id"]: rng.randint(4, 12) for p in self.programs}
        fixed = sum(n_contributions.values()) + len(self.programs)  # sponsor pot + government budget
        for a in selected:
            s = shares[a.id]
            pots = (s.government > 0) + (s.sponsor > 0)
            fixed += pots * (2 if a.status == S_WITHDRAWN else 1)  # commitments (and releases)
        base_tranches = sum(2 if a.status == S_COMPLETED else 1 for a in paid)
        extra_tranches = max(0, (self.scale.ledger_rows - fixed - 2 * base_tranches) // 2)
        rng.shuffle(paid)
        more, spare = divmod(extra_tranches, len(paid)) if paid else (0, 0)

        # ledger rows: [created_at, program, pot, kind, amount, application, contribution, disbursement, note]
        ledger: list[list] = []
        committed = defaultdict(lambda: [0, 0])  # program id → [government, sponsor] ever committed
        for a in selected:
            s, pid = shares[a.id], a.program["id"]
            committed[pid][0] += s.government
            committed[pid][1] += s.sponsor
            for pot, amount in (("government", s.government), ("sponsor", s.sponsor)):
                if amount > 0:
                    ledger.append([a.decided, pid, pot, "commitment", amount, a.id, None, None, ""])

        # Payments: the §3.3 pro-rata split, as funds.services.disbursement_record computes it.
        disbursements: list[list] = []  # [created_at, application, kind, amount, gov, sponsor, paid_on]
        paid_by = {}
        for i, a in enumerate(paid):
            s = shares[a.id]
            n = (2 if a.status == S_COMPLETED else 1) + more + (1 if i < spare else 0)
            due = s.government + s.sponsor
            if paid_share[a.id] < 1.0:
                due = int(due * paid_share[a.id])
            weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
            total_weight = sum(weights)
            amounts = [int(due * w / total_weight) for w in weights[:-1]]
            amounts.append(due - sum(amounts))
            start = a.agreement + 15 * DAY
            span = max(0, (min(a.pay_until, TODAY) - start).days)
            out_g, out_s = s.government, s.sponsor
            for k, amount in enumerate(amounts):
                gov, spon = self._split_payment(amount, s.government, s.sponsor)
                if spon > out_s:
                    gov, spon = amount - out_s, out_s
                if gov > out_g:
                    gov, spon = out_g, amount - out_g
                out_g, out_s = out_g - gov, out_s - spon
                paid_on = start + dt.timedelta(days=span * (k + 1) // n)
                kind = "final" if a.status == S_COMPLETED and k == n - 1 else "advance"
                record = [self._at(paid_on), a.id, kind, amount, gov, spon, paid_on]
                disbursements.append(record)
                for pot, part in (("government", gov), ("sponsor", spon)):
                    if part > 0:
                        ledger.append(
                            [record[0], a.program["id"], pot, "disbursement", part, a.id, None, record, ""]
                        )
            paid_by[a.id] = (s.government - out_g, s.sponsor - out_s)
        for a in selected:
            if a.status == S_WITHDRAWN:  # release what is committed and not paid
                s = shares[a.id]
                paid_g, paid_s = paid_by.get(a.id, (0, 0))
                when = self._at(a.ended)
                for pot, amount in (("government", s.government - paid_g), ("sponsor", s.sponsor - paid_s)):
                    if amount > 0:
                        ledger.append([when, a.program["id"], pot, "release", amount, a.id, None, None, ""])

        # The pots: contributions into the sponsor pot and the budget into the government pot, each
        # 5–30 % above all that is ever committed, received before the first selection.
        contributions: list[list] = []  # [created_at, sponsor, program, amount, kind, purpose, received_on]
        budget: dict[int, list[int]] = {}
        for p in self.programs:
            pid = p["id"]
            need_g, need_s = committed[pid]
            budget[pid] = [max(EOK, math.ceil(need_g * rng.uniform(1.05, 1.3) / EOK) * EOK)]
            rest = max(EOK, math.ceil(need_s * rng.uniform(1.05, 1.3) / EOK) * EOK)
            n = n_contributions[pid]
            parts: list[tuple[int, str, str]] = []
            if rng.random() < 0.4:  # in kind: at most 20 % of the program's contributions
                in_kind = rest * rng.randint(8, 15) // 100 // 1_000_000 * 1_000_000
                parts.append((in_kind, "in_kind", "build"))
                rest -= in_kind
            cash = n - len(parts)
            for k in range(cash):
                amount = rest // (cash - k) // 1_000_000 * 1_000_000 if k < cash - 1 else rest
                rest -= amount
                purpose = "build" if k or rng.random() < 0.7 else rng.choice(["market", "training"])
                parts.append((amount, "cash", purpose))
            first = p["opens"] - 60 * DAY
            for k, (amount, kind, purpose) in enumerate(parts):
                received = first + dt.timedelta(days=80 * k // n)
                contributions.append([self._at(received), p["sponsor"], pid, amount, kind, purpose, received])

        # Ids in the order the rows were recorded (as a live system would have numbered them).
        contributions.sort(key=lambda row: row[0])
        for i, c in enumerate(contributions, 1):
            c.append(i)
            ledger.append([c[0], c[2], "sponsor", "contribution", c[3], None, c, None, ""])
        disbursements.sort(key=lambda row: row[0])
        for i, d in enumerate(disbursements, 1):
            d.append(i)

        # What the target still lacks (0 or 1 row) is a supplementary government budget (추경).
        missing = self.scale.ledger_rows - len(ledger) - len(self.programs)
        for k in range(max(0, missing)):
            budget[self.programs[k % len(self.programs)]["id"]].append(EOK)
        for p in self.programs:
            p["gov_budget"] = sum(budget[p["id"]])
            for k, amount in enumerate(budget[p["id"]]):
                when = self._at(p["opens"] - (40 - 20 * k) * DAY)
                note = "정부 매칭 예산" if k == 0 else "정부 매칭 예산 (추경)"
                ledger.append([when, p["id"], "government", "contribution", amount, None, None, None, note])
        ledger.sort(key=lambda row: row[0])
        self.contributions, self.disbursements, self.ledger = contributions, disbursements, ledger

    def _outcomes(self) -> None:
        """Outcomes of completed projects (90 %) and of a rejected/withdrawn comparison group."""
        rng = self.rng
        target = self.scale.outcomes
        completed = [a for a in self.apps if a.status == S_COMPLETED]
        comparison = [
            a for a in self.apps if a.status in (S_REJECTED, S_WITHDRAWN) and a.program["year"] < TODAY.year
        ]
        rng.shuffle(completed)
        rng.shuffle(comparison)
        rows: list[tuple] = []
        reported: set[int] = set()
        kpis = list(KPIS)

        def report(group: list[App], quota: int, adopters: bool, k_range: tuple[int, int]) -> None:
            for a in group:
                if len(rows) >= quota:
                    return
                if a.id in reported:
                    continue
                reported.add(a.id)
                if adopters:
                    baseline_on = a.decided.date()
                    measured_on = min(a.ended + rng.randint(120, 365) * DAY, TODAY)
                else:
                    baseline_on = (a.submitted or a.created).date()
                    measured_on = min(baseline_on + rng.randint(300, 500) * DAY, TODAY)
                measured_on = max(measured_on, baseline_on)
                effect_scale = 1.0 if adopters else 0.3
                for kpi in rng.sample(kpis, min(rng.randint(*k_range), quota - len(rows))):
                    low, high, effect, percent = KPIS[kpi]
                    baseline = rng.uniform(low, high)
                    if kpi in ("employees", "accidents"):
                        baseline = float(round(baseline))
                    result = baseline * (1 + effect * effect_scale + rng.gauss(0, 0.1))
                    if kpi != "operating_profit":
                        result = max(0.0, result)
                    if percent:
                        baseline, result = min(baseline, 100.0), min(result, 100.0)
                    rows.append((a.id, kpi, f"{baseline:.4f}", f"{result:.4f}", baseline_on, measured_on))

        report(completed, target * 9 // 10, True, (3, 10))
        report(comparison, target, False, (2, 6))
        report(completed, target, True, (3, 10))  # too small a comparison group: more adopters
        rows.sort(key=lambda r: r[5])
        self.outcomes = [
            (i, r[0], r[1], r[2], r[3], r[4], r[5], None, self._at(r[5]), self._at(r[5]))
            for i, r in enumerate(rows, 1)
        ]

    # -- the tables, in load order --------------------------------------------------------------

    def sponsor_table(self):
        return "program.Sponsor", ("id", "name", "business_number", "kind", "created_at"), self.sponsors

    def busiest_agency(self) -> int:
        """The agency whose programs hold the most applications: the bench's staff work there, so the
        staff queue is measured at its longest under the agency filter (docs/domain.md §1)."""
        counts = Counter(a.program["agency"] for a in self.apps)
        return min(counts, key=lambda agency: (-counts[agency], agency))

    def tables(self):
        """(model label, columns, rows) after the sponsors, in an order that satisfies every foreign
        key; rows that name their recorder use `staff_id`."""
        staff = self.staff_id
        yield "program.Agency", ("id", "name"), self.agencies
        program_columns = (
            "id title year sponsor_id agency_id track description gov_ratio sponsor_ratio sme_ratio "
            "gov_cap_basic gov_cap_advanced1 gov_cap_advanced2 rounding_unit cap_excess_to gov_budget "
            "rubric required_documents opens_on closes_on status created_at updated_at"
        ).split()
        yield (
            "program.Program",
            program_columns,
            [
                (
                    p["id"],
                    p["title"],
                    p["year"],
                    p["sponsor"],
                    p["agency"],
                    p["track"],
                    "",
                    p["policy"]["gov_ratio"],
                    p["policy"]["sponsor_ratio"],
                    p["policy"]["sme_ratio"],
                    p["policy"]["gov_cap_basic"],
                    p["policy"]["gov_cap_advanced1"],
                    p["policy"]["gov_cap_advanced2"],
                    1000,
                    p["policy"]["cap_excess_to"],
                    p["gov_budget"],
                    self.rubric,
                    self.required_documents,
                    p["opens"],
                    p["closes"],
                    p["status"],
                    p["created"],
                    p["created"],
                )
                for p in self.programs
            ],
        )
        yield (
            "applicants.Company",
            (
                "id business_number name representative region industry_code employees annual_revenue "
                "founded_on current_level is_sponsor_partner partner_of_id created_at"
            ).split(),
            self.companies,
        )
        yield (
            "applicants.Supplier",
            ("id", "name", "business_number", "solution_areas", "region", "created_at"),
            self.suppliers,
        )
        yield (
            "applicants.Application",
            (
                "id program_id company_id level title plan total_cost supplier_id wants_mentoring status "
                "score created_by_id created_at updated_at submitted_at decided_at"
            ).split(),
            (
                (
                    a.id,
                    a.program["id"],
                    a.company,
                    a.level,
                    a.title,
                    "",
                    a.total,
                    a.supplier,
                    a.wants_mentoring,
                    a.status,
                    a.score,
                    None,
                    a.created,
                    a.updated,
                    a.submitted,
                    a.decided,
                )
                for a in self.apps
            ),
        )
        yield (
            "funds.CostShare",
            ("id", "application_id", "total", "government", "sponsor", "sme", "capped", "computed_at"),
            self.cost_shares,
        )
        yield (
            "funds.Contribution",
            (
                "id sponsor_id program_id amount kind purpose received_on note recorded_by_id created_at"
            ).split(),
            ((c[7], c[1], c[2], c[3], c[4], c[5], c[6], "", staff, c[0]) for c in self.contributions),
        )
        yield (
            "funds.Disbursement",
            ("id application_id kind amount gov_part sponsor_part paid_on recorded_by_id created_at").split(),
            ((d[7], d[1], d[2], d[3], d[4], d[5], d[6], staff, d[0]) for d in self.disbursements),
        )
        yield (
            "funds.LedgerEntry",
            (
                "id program_id pot kind amount application_id contribution_id disbursement_id actor_id "
                "note created_at"
            ).split(),
            (
                (
                    i,
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    None if r[6] is None else r[6][-1],
                    None if r[7] is None else r[7][-1],
                    staff,
                    r[8],
                    r[0],
                )
                for i, r in enumerate(self.ledger, 1)
            ),
        )
        yield (
            "reports.Outcome",
            (
                "id application_id kpi baseline result baseline_on measured_on entered_by_id created_at "
                "updated_at"
            ).split(),
            self.outcomes,
        )


# ---------------------------------------------------------------------------------------------
# Loading


def _is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes that back no constraint (rebuilt after the load, in one sorted pass each,
    which is several times faster than maintaining them row by row); their definitions."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                          AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY t.relname, i.relname
        """,
        [tables],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _foreign_key_violations(cursor) -> list[str]:
    """Every foreign key of the schema checked in one anti-join each (used when the row-by-row
    checks were switched off for the load)."""
    from psycopg import sql

    cursor.execute(
        """
        SELECT c.conname, t.relname, a.attname, ft.relname, fa.attname
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_class ft ON ft.oid = c.confrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace AND cardinality(c.conkey) = 1
        """
    )
    problems = []
    for name, table, column, ref_table, ref_column in cursor.fetchall():
        query = sql.SQL(
            "SELECT count(*) FROM {t} WHERE {c} IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM {rt} WHERE {rt}.{rc} = {t}.{c})"
        ).format(
            t=sql.Identifier(table),
            c=sql.Identifier(column),
            rt=sql.Identifier(ref_table),
            rc=sql.Identifier(ref_column),
        )
        cursor.execute(query)
        missing = cursor.fetchone()[0]
        if missing:
            problems.append(f"{name}: {missing} rows of {table}.{column} name no {ref_table}")
    return problems


def _model_defaults(model, columns) -> tuple[list[str], tuple]:
    """The columns of `model` that `columns` leave out but the database needs (NOT NULL, no database
    default), with their Django defaults (a text without one: ""): a field added after this loader was
    written (an announcement, a number of months) needs no change here."""
    from django.db.models.fields import NOT_PROVIDED

    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null:
            continue
        if not field.has_default() and not (field.empty_strings_allowed and not field.is_relation):
            continue  # a key or a number the rows must give
        if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            continue
        value = field.get_default()
        names.append(field.column)
        values.append(json.dumps(value) if isinstance(value, dict | list) else value)
    return names, tuple(values)


def _copy(cursor, model, columns, rows) -> int:
    columns = list(columns)
    extra_columns, extra = _model_defaults(model, columns)
    count = 0
    table = model._meta.db_table
    with cursor.copy(f'COPY "{table}" ({", ".join([*columns, *extra_columns])}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row((*row, *extra) if extra_columns else row)
            count += 1
    return count


def _bench_users(sponsors: list[tuple], agency_id: int) -> int:
    """One staff user of `agency_id` and one sponsor user per sponsor (unusable passwords); the staff
    user's id. The agency's row is copied later in the same transaction (its key is checked at the end)."""
    from accounts.models import Role, User

    users = [User(username="bench-staff", role=Role.STAFF, agency_id=agency_id, first_name="벤치")]
    users += [
        User(username=f"bench-sponsor-{sid:02d}", role=Role.SPONSOR, sponsor_id=sid, first_name="벤치")
        for sid, *_ in sponsors
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    return User.objects.get(username="bench-staff").pk


def _check(cursor) -> list[str]:
    """Invariants the load must keep; a list of what is broken (empty when all hold)."""
    problems = []
    cursor.execute(
        """
        SELECT program_id, pot FROM funds_ledgerentry GROUP BY program_id, pot
        HAVING sum(CASE kind WHEN 'contribution' THEN amount WHEN 'release' THEN amount
                             WHEN 'commitment' THEN -amount ELSE 0 END) < 0
        LIMIT 5
        """
    )
    problems += [f"pot below zero: program {p} {pot}" for p, pot in cursor.fetchall()]
    cursor.execute(
        """
        SELECT application_id FROM funds_ledgerentry WHERE application_id IS NOT NULL
        GROUP BY application_id
        HAVING sum(CASE kind WHEN 'disbursement' THEN amount WHEN 'release' THEN amount ELSE 0 END)
             > sum(CASE kind WHEN 'commitment' THEN amount ELSE 0 END)
        LIMIT 5
        """
    )
    problems += [f"paid or released beyond commitment: application {a}" for (a,) in cursor.fetchall()]
    cursor.execute(
        """
        SELECT p.id FROM program_program p
        JOIN funds_ledgerentry l ON l.program_id = p.id AND l.pot = 'government' AND l.kind = 'contribution'
        GROUP BY p.id, p.gov_budget HAVING sum(l.amount) <> p.gov_budget LIMIT 5
        """
    )
    problems += [f"government pot differs from gov_budget: program {p}" for (p,) in cursor.fetchall()]
    cursor.execute(
        """
        SELECT program_id, pot, kind FROM funds_pottotal t
        FULL JOIN (SELECT program_id, pot, kind, sum(amount) AS amount FROM funds_ledgerentry
                   GROUP BY program_id, pot, kind) l USING (program_id, pot, kind)
        WHERE t.amount IS DISTINCT FROM l.amount LIMIT 5
        """
    )
    problems += [f"running total differs from the ledger: {row}" for row in cursor.fetchall()]
    return problems


def load(
    database_url: str = DEFAULT_DATABASE_URL,
    *,
    scale: Scale | None = None,
    seed: int = 20261121,
    reset: bool = False,
    if_empty: bool = False,
    any_database: bool = False,
    out=print,
) -> dict:
    """Create (or reset), migrate and fill the database; returns the mark it leaves.

    With `if_empty`, a database already marked as loaded is left as it is (its mark is returned).
    A database that holds rows without the mark is refused unless `reset`. Unless `any_database`,
    the database name must contain "bench" (a reset drops it).
    """
    scale = scale or Scale()
    name = database_name(database_url)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise LoadError("the benchmark needs PostgreSQL: DATABASE_URL=postgres://…")
    if "bench" not in name and not any_database:
        raise LoadError(f"refusing to load {name!r}: the name must contain 'bench' (or pass --any-database)")
    started = time.perf_counter()
    created = ensure_database(database_url, reset=reset)
    mark = None if created else read_mark(database_url)
    if mark is not None and if_empty:
        wanted = {"scale": asdict(scale), "seed": seed, "version": FORMAT_VERSION}
        loaded = {key: mark.get(key) for key in wanted}
        if loaded != wanted:
            raise LoadError(
                f"{name} holds another data set ({loaded}); run `python -m bench.load --reset` to replace it"
            )
        out(f"{name}: already loaded on {mark.get('loaded_at')} — nothing to do (--reset reloads)")
        return mark
    if mark is not None:
        raise LoadError(f"{name} is already loaded; pass --reset to drop and reload it (or --if-empty)")

    setup_django(database_url)
    from django.apps import apps as django_apps
    from django.core.management import call_command
    from django.db import connection, transaction

    timings: list[tuple[str, int, float]] = []

    def timed(label, rows, since):
        timings.append((label, rows, time.perf_counter() - since))
        out(f"  {label:<24} {rows:>10,} rows  {timings[-1][2]:7.2f} s")

    out(f"loading {name}: {scale}")
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timed("migrate", 0, t)

    from applicants.models import Application
    from program.models import Sponsor

    if Application.objects.exists() or Sponsor.objects.exists():
        raise LoadError(f"{name} holds rows but no load mark; pass --reset to drop and reload it")

    t = time.perf_counter()
    data = DataSet(scale, seed, staff_id=None).build()
    timed("generate (in memory)", 0, t)

    counts: dict[str, int] = {}
    tables = [django_apps.get_model(label)._meta.db_table for label, _, _ in data.tables()]
    with transaction.atomic():
        raw = connection.connection  # psycopg 3, inside the same transaction
        with raw.cursor() as cursor:
            t = time.perf_counter()
            # Row-by-row foreign-key checks (Django's are deferred to COMMIT) cost more than the
            # COPY itself; a superuser switches them off for this transaction and checks every
            # key afterwards in one anti-join each. Dropped indexes come back before COMMIT.
            fast = _is_superuser(cursor)
            if fast:
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            indexes = _drop_secondary_indexes(cursor, [Sponsor._meta.db_table, *tables])
            timed(f"drop {len(indexes)} indexes", 0, t)

            label, columns, rows = data.sponsor_table()
            t = time.perf_counter()
            counts[label] = _copy(cursor, Sponsor, columns, rows)
            data.staff_id = _bench_users(data.sponsors, data.busiest_agency())
            timed(f"{label} + users", counts[label], t)
            for label, columns, rows in data.tables():
                t = time.perf_counter()
                counts[label] = _copy(cursor, django_apps.get_model(label), columns, rows)
                timed(label, counts[label], t)

            t = time.perf_counter()
            for definition in indexes:
                cursor.execute(definition)
            timed(f"create {len(indexes)} indexes", 0, t)

            # The ledger's running totals: its trigger is off under `replica` (and one upsert per
            # row would cost more than this one pass anyway), so they are summed once here.
            t = time.perf_counter()
            cursor.execute("DELETE FROM funds_pottotal")
            cursor.execute(import_module("funds.migrations.0007_pot_totals").BACKFILL)
            timed("funds.PotTotal (running totals)", cursor.rowcount, t)

            t = time.perf_counter()
            for label in counts:
                table = django_apps.get_model(label)._meta.db_table
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                cursor.execute(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')  # noqa: S608
            problems = _foreign_key_violations(cursor) if fast else []
            problems += _check(cursor)
            if problems:
                raise LoadError("the generated data breaks an invariant:\n  " + "\n  ".join(problems))
            timed("foreign keys + invariants" if fast else "invariants", 0, t)
            t = time.perf_counter()
        # leaving the block commits (and runs the deferred foreign-key checks when not `fast`)
    timed("commit", 0, t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timed("VACUUM (ANALYZE)", 0, t)

    mark = {
        "mark": MARK,
        "version": FORMAT_VERSION,
        "scale": asdict(scale),
        "seed": seed,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": counts,
        "timings": {label: round(seconds, 2) for label, _, seconds in timings},
        "seconds": round(time.perf_counter() - started, 1),
    }
    with connection.cursor() as cursor:
        _write_mark(cursor.cursor, name, mark)
    statuses = Counter(a.status for a in data.apps)
    out(f"applications by status: {dict(sorted(statuses.items()))}")
    out(f"loaded {name} in {mark['seconds']} s")
    return mark


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing if the database is already loaded"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the row counts (default 1)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument(
        "--any-database",
        action="store_true",
        help="allow a database whose name does not contain 'bench' (it may be dropped by --reset)",
    )
    args = parser.parse_args(argv)
    try:
        load(
            args.database_url,
            scale=Scale.of(args.scale),
            seed=args.seed,
            reset=args.reset,
            if_empty=args.if_empty,
            any_database=args.any_database,
        )
    except LoadError as error:
        print(f"bench.load: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
