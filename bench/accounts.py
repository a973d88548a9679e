"""Issue 22's figures (SPEC §20) at national scale: the token check every API request makes, and the
retention task's nightly selection and anonymisation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench python -m bench.accounts [--explain]

Targets: `ApiTokenAuthentication.authenticate_credentials` (one query by the key's hash) ≤ 5 ms median
with 1,000,000 tokens in the table; the retention selection (`applicants.retention.companies_due`,
what `manage.py retention` prints and the beat task walks) ≤ 30 s over `bench.load`'s 20,000
companies and 100,000 applications (a nightly job: what matters is that it stays one query and does not
grow with the audit trail); anonymising one company ≤ 200 ms.

On a database loaded by `bench.load`, `load_accounts()` first adds (once; `--drop` takes them away), by
COPY in one transaction: 20,000 applicant users (one per company, `bench-user-<n>`, never signed in),
their consent rows, and 1,000,000 API tokens over them and the bench officials (a quarter expired,
a tenth revoked). The tokens' keys are derived from their number, so the measurement can present real
keys. Then it times 300 token checks of random working keys, the selection as of a day six years
after the bench's today (so that rejected and withdrawn companies are due), and the anonymisation of
50 due companies inside a transaction that is rolled back (the bench's data stays as it was).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import time

from bench.load import KST, TODAY, _copy, add_database_url_argument, connect_benchmark_database
from bench.measure import captured_sql, explain_analyze, percentile

TOKENS = 1_000_000
TOKEN_TARGET_MS = 5.0
SELECTION_TARGET_S = 30.0
ANONYMISE_TARGET_MS = 200.0
CHECKS = 300
ANONYMISED = 50
USER_PREFIX = "bench-user-"


class _Rollback(Exception):
    pass


def bench_key(number: int) -> str:
    """The key of the bench's token `number` (40 hex characters, as a real one)."""
    return hashlib.sha256(f"bench-token-{number}".encode()).hexdigest()[:40]


def accounts_loaded() -> bool:
    from accounts.models import User

    return User.objects.filter(username__startswith=USER_PREFIX).exists()


def drop_accounts(out=print) -> None:
    from django.db import transaction

    from accounts.models import ApiToken, Consent, User

    with transaction.atomic():
        tokens = ApiToken.objects.filter(name__startswith="bench").delete()[0]
        Consent.objects.filter(user__username__startswith=USER_PREFIX).delete()
        users = User.objects.filter(username__startswith=USER_PREFIX).delete()[0]
    out(f"dropped {tokens:,} tokens and {users:,} rows of bench users")


def load_accounts(*, seed: int = 22, out=print) -> None:
    from django.conf import settings
    from django.db import connection, transaction

    from accounts.models import ApiToken, Consent, Role, User
    from accounts.tokens import key_hash
    from applicants.models import Company

    if accounts_loaded():
        return
    rng = random.Random(f"bench-accounts:{seed}")  # noqa: S311 (synthetic data, not secrets)
    started = time.perf_counter()
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=KST)
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor() as cursor:
        users = _copy(
            cursor,
            User,
            [
                "username",
                "password",
                "role",
                "company_id",
                "first_name",
                "email",
                "is_active",
                "date_joined",
                "privacy_consent_version",
            ],
            (
                (
                    f"{USER_PREFIX}{n}",
                    "!bench",
                    Role.APPLICANT,
                    company,
                    "벤치",
                    f"user{n}@bench.example",
                    True,
                    now - dt.timedelta(days=rng.randrange(2000)),
                    settings.PRIVACY_CONSENT_VERSION,
                )
                for n, company in enumerate(companies)
            ),
        )
        user_ids = list(
            User.objects.filter(username__startswith=USER_PREFIX).order_by("pk").values_list("pk", flat=True)
        )
        owners = user_ids + list(
            User.objects.filter(username__startswith="bench-")
            .exclude(username__startswith=USER_PREFIX)
            .values_list("pk", flat=True)
        )
        _copy(
            cursor,
            Consent,
            ["user_id", "kind", "version", "agreed", "created_at"],
            ((uid, Consent.Kind.PRIVACY, settings.PRIVACY_CONSENT_VERSION, True, now) for uid in user_ids),
        )

        def tokens():
            for number in range(TOKENS):
                key = bench_key(number)
                created = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 60))
                roll = rng.random()
                expires = created + dt.timedelta(days=30)
                if roll < 0.25:
                    created -= dt.timedelta(days=40)  # expired
                    expires = created + dt.timedelta(days=30)
                revoked = created + dt.timedelta(days=1) if 0.25 <= roll < 0.35 else None
                yield (
                    owners[number % len(owners)],
                    key_hash(key),
                    key[:8],
                    f"bench {number}",
                    created,
                    expires,
                    revoked,
                )

        count = _copy(
            cursor,
            ApiToken,
            ["user_id", "key_hash", "prefix", "name", "created_at", "expires_at", "revoked_at"],
            tokens(),
        )
        cursor.execute(f'ANALYZE "{ApiToken._meta.db_table}"')
        cursor.execute(f'ANALYZE "{User._meta.db_table}"')
    out(
        f"loaded {users:,} applicant users with their consent and {count:,} API tokens "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _working_numbers(rng: random.Random) -> list[int]:
    from django.utils import timezone

    from accounts.models import ApiToken

    now = timezone.now()
    # The bench's dates are before today's clock: a working token is one not revoked whose expiry,
    # moved to now, lies ahead; measure with the clock of the bench (the check compares to now).
    names = (
        ApiToken.objects.filter(name__startswith="bench ", revoked_at__isnull=True)
        .order_by("?")
        .values_list("name", flat=True)[:CHECKS]
    )
    numbers = [int(name.split()[1]) for name in names]
    ApiToken.objects.filter(name__in=[f"bench {n}" for n in numbers]).update(
        expires_at=now + dt.timedelta(days=30)
    )
    rng.shuffle(numbers)
    return numbers


def measure_tokens(rng: random.Random, *, explain: bool, out=print) -> dict:
    from accounts.tokens import ApiTokenAuthentication

    auth = ApiTokenAuthentication()
    numbers = _working_numbers(rng)
    for number in numbers[:10]:  # warm-up
        auth.authenticate_credentials(bench_key(number))
    samples = []
    for number in numbers:
        started = time.perf_counter()
        user, _token = auth.authenticate_credentials(bench_key(number))
        samples.append((time.perf_counter() - started) * 1000)
        if not user.pk:
            raise SystemExit("a token check answered no user")
    sql = captured_sql(lambda: auth.authenticate_credentials(bench_key(numbers[0])))
    if explain:
        explain_analyze(sql, out)
    return {"median": sorted(samples)[len(samples) // 2], "p95": percentile(samples, 95), "queries": len(sql)}


def measure_retention(*, explain: bool, out=print) -> dict:
    from django.db import transaction

    from applicants.retention import companies_due, company_anonymise

    today = TODAY.replace(year=TODAY.year + 6)
    started = time.perf_counter()
    due = list(companies_due(today=today))
    selection_s = time.perf_counter() - started
    sql = captured_sql(lambda: list(companies_due(today=today)[:1]))
    if explain:
        explain_analyze(sql, out)
    samples = []
    try:
        with transaction.atomic():
            for company in due[:ANONYMISED]:
                started = time.perf_counter()
                company_anonymise(company=company)
                samples.append((time.perf_counter() - started) * 1000)
            raise _Rollback
    except _Rollback:
        pass
    return {
        "due": len(due),
        "selection_s": selection_s,
        "selection_queries": len(sql),
        "anonymise_median": sorted(samples)[len(samples) // 2] if samples else 0.0,
        "anonymise_p95": percentile(samples, 95) if samples else 0.0,
        "anonymised": len(samples),
        "today": today,
    }


def run(*, seed: int = 22, explain: bool = False, out=print) -> bool:
    from django.db import connection

    from accounts.models import ApiToken
    from applicants.models import Application, Company

    rng = random.Random(seed)  # noqa: S311 (which tokens to check)
    out(
        f"accounts and privacy (issue 22, SPEC §20) — {connection.settings_dict['NAME']}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    out(
        f"{ApiToken.objects.count():,} API tokens, {Company.objects.count():,} companies, "
        f"{Application.objects.count():,} applications"
    )
    tokens = measure_tokens(rng, explain=explain, out=out)
    retention = measure_retention(explain=explain, out=out)
    out("| measure | median | p95 | queries | target |")
    out("|---|---|---|---|---|")
    out(
        f"| token check (`authenticate_credentials`), {CHECKS} working keys | {tokens['median']:.2f} ms | "
        f"{tokens['p95']:.2f} ms | {tokens['queries']} | {TOKEN_TARGET_MS:.0f} ms |"
    )
    out(
        f"| retention selection as of {retention['today']}: {retention['due']:,} companies due | "
        f"{retention['selection_s']:.2f} s | — | {retention['selection_queries']} | "
        f"{SELECTION_TARGET_S:.0f} s |"
    )
    out(
        f"| anonymise one company ({retention['anonymised']}, rolled back) | "
        f"{retention['anonymise_median']:.1f} ms | "
        f"{retention['anonymise_p95']:.1f} ms | — | {ANONYMISE_TARGET_MS:.0f} ms |"
    )
    passed = (
        tokens["median"] <= TOKEN_TARGET_MS
        and retention["selection_s"] <= SELECTION_TARGET_S
        and retention["anonymise_median"] <= ANONYMISE_TARGET_MS
    )
    out("PASS" if passed else "FAIL: a target missed")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accounts", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the queries")
    parser.add_argument("--load-only", action="store_true", help="add the users and tokens, measure nothing")
    parser.add_argument("--drop", action="store_true", help="remove the bench users and tokens and stop")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    if args.drop:
        drop_accounts()
        return 0
    load_accounts(seed=args.seed)
    if args.load_only:
        return 0
    return 0 if run(seed=args.seed, explain=args.explain) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
