"""Issue 18's figures: the inbox, the application thread and the daily reminder run at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartfactory_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/10 python -m bench.inbox [--explain] [--drop]

Targets: the inbox and the thread answer in ≤ 50 ms median with 1,000,000 notifications and 500,000
messages; the reminder run over 100,000 open items finishes in ≤ 30 s.

On a database loaded by `bench.load`, `load_inbox()` first adds (once; `--drop` takes it all away
again, `--reload` drops and loads afresh), by COPY in one transaction:

- one SME user per company (20,000) and ten staff users per agency, beside `bench-staff`;
- 1,000,000 notifications: 50,000 for `bench-staff`, 5,000 for the SME of the longest thread, 5,000
  for each of the 30 other staff, the rest over the SME users (a long-tailed share each); about 70 %
  read, the older ones more often;
- 500,000 messages: five threads of 2,500 in the staff user's agency, the rest about five to an
  application; 15 % internal notes;
- 100,000 open items for the reminders: applications in `changes_requested` in ten programs of their
  own, due from 6 days before to 14 days after the reference day (bench.load.TODAY), so about one in
  ten is due that day or three days later.

Then it times, through the real views (Django's test client), the inbox page and `GET notifications/`
for the heavy and a typical user, the header's unread count, the thread (API and pages) of a
2,500-message and a typical application; then `applicants.send_due_reminders` for the reference day,
twice (the second must send nothing). Before the reminder runs it removes what an earlier run sent
for that day, so every run starts alike. Exits 1 when a target is missed.
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
from bench.measure import Timings, captured_sql, explain_analyze, timing_table

PAGE_TARGET_MS = 50.0
REMINDER_TARGET_S = 30.0

NOTIFICATIONS = 1_000_000
MESSAGES = 500_000
OPEN_ITEMS = 100_000
HEAVY_STAFF_NOTICES = 50_000
HEAVY_SME_NOTICES = 5_000
STAFF_PER_AGENCY = 10
STAFF_NOTICES = 5_000
LONG_THREADS = 5
LONG_THREAD = 2_500
OPEN_PROGRAMS = 10
DUE_FROM, DUE_TO = -6, 14  # days around the reference day
EMAIL_DOMAIN = "bench-inbox.example"
SME_PREFIX = "bench-inbox-sme-"
STAFF_PREFIX = "bench-inbox-staff-"
PROGRAM_SUFFIX = " (보완 알림 벤치)"
HEAVY_STAFF = "bench-staff"

NOTICE_KINDS = [
    (
        "application.status",
        "신청서 상태가 바뀌었습니다",
        "신청서의 상태가 바뀌었습니다. 내용을 확인해 주세요.",
    ),
    ("message", "새 메시지가 왔습니다", "신청서에 새 문의·답변이 있습니다."),
    ("document.checked", "제출 서류를 확인했습니다", "제출한 서류의 확인 결과를 알려 드립니다."),
    ("reminder.agreement.due_in_3_days", "협약 기한 3일 전", "협약 체결 기한이 다가옵니다."),
]
MESSAGE_BODIES = [
    "사업계획서의 설비 사양을 보완해 주시기 바랍니다.",
    "요청하신 견적서를 첨부하였습니다. 확인 부탁드립니다.",
    "현장 점검 일정을 다음 주 화요일로 조정할 수 있을까요?",
    "재무제표는 최근 3개년 것을 제출해 주세요.",
    "공급기업과 협의한 구축 범위를 정리해 보내 드립니다.",
]
INTERNAL_BODIES = ["내부 검토: 설비 단가가 평균보다 높음.", "담당자 메모: 다음 주 현장 확인 예정."]


# ---------------------------------------------------------------------------------------------
# The data


def inbox_loaded() -> bool:
    from program.models import Program

    return Program.objects.filter(title__endswith=PROGRAM_SUFFIX).exists()


def drop_inbox(out=print) -> None:
    """Take away everything `load_inbox` added: the bench database is then as bench.load left it.
    Notifications, messages, reminders sent and their e-mails are emptied whole (bench.load writes none)."""
    from django.db import connection, transaction

    from accounts.models import User
    from applicants.models import Application
    from program.models import OutgoingEmail, Program

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE program_notification, applicants_messageattachment, applicants_message, "
            "applicants_remindersent"
        )
        OutgoingEmail.objects.filter(to__endswith=f"@{EMAIL_DOMAIN}").delete()
        programs = list(Program.objects.filter(title__endswith=PROGRAM_SUFFIX).values_list("pk", flat=True))
        Application.objects.filter(program_id__in=programs)._raw_delete(Application.objects.db)
        Program.objects.filter(pk__in=programs).delete()
        User.objects.filter(username__startswith="bench-inbox-").delete()
    out(f"dropped the inbox data in {time.perf_counter() - started:.1f} s")


class InboxData:
    """The rows `load_inbox` adds, generated from a seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"bench-inbox:{seed}")  # noqa: S311 (synthetic data, not secrets)
        self.midnight = dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=KST)

    def moment(self, days_back: float) -> dt.datetime:
        """A time up to `days_back` days before the reference day's 18 h."""
        return (
            self.midnight
            + dt.timedelta(hours=18)
            - dt.timedelta(seconds=self.rng.random() * days_back * 86_400)
        )


def _users(out) -> dict:
    """The SME users (one per company) and the staff users; what the rest of the load needs of them."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User
    from applicants.models import Company
    from program.models import Agency

    unusable = make_password(None)  # one unusable hash for all: nobody signs in as them but the bench
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    users = [
        User(
            username=f"{SME_PREFIX}{company:05d}",
            email=f"sme{company:05d}@{EMAIL_DOMAIN}",
            first_name="벤치",
            last_name=f"기업{company:05d}",
            role=Role.APPLICANT,
            company_id=company,
            password=unusable,
        )
        for company in companies
    ]
    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    users += [
        User(
            username=f"{STAFF_PREFIX}{agency}-{n:02d}",
            email=f"staff{agency}-{n:02d}@{EMAIL_DOMAIN}",
            first_name="벤치",
            last_name=f"담당{agency}-{n:02d}",
            role=Role.STAFF,
            agency_id=agency,
            password=unusable,
        )
        for agency in agencies
        for n in range(1, STAFF_PER_AGENCY + 1)
    ]
    User.objects.bulk_create(users, batch_size=2_000)
    sme = dict(User.objects.filter(username__startswith=SME_PREFIX).values_list("company_id", "pk"))
    staff = list(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("pk", "agency_id"))
    heavy = User.objects.get(username=HEAVY_STAFF)
    return {"sme": sme, "staff": staff, "heavy_staff": (heavy.pk, heavy.agency_id)}


def _open_items(cursor, data: InboxData) -> int:
    """OPEN_ITEMS applications in changes_requested, in OPEN_PROGRAMS programs of their own (a copy of
    this year's programs each, so no company has two live applications in one program)."""
    from applicants.models import Application, Company
    from program.models import Program

    base = list(Program.objects.filter(year=TODAY.year).order_by("pk")[:OPEN_PROGRAMS])
    programs = []
    for n, program in enumerate(base * (OPEN_PROGRAMS // max(1, len(base)) + 1), 1):
        if n > OPEN_PROGRAMS:
            break
        program.pk, program._state.adding = None, True
        program.title = f"{program.title} {n:02d}{PROGRAM_SUFFIX}"
        program.save()
        programs.append(program.pk)
    companies = list(Company.objects.values_list("pk", flat=True))
    rng = data.rng
    levels = ["basic"] * 6 + ["advanced1"] * 3 + ["advanced2"]
    per_program = OPEN_ITEMS // len(programs)
    rows = []
    for program in programs:
        for company in rng.sample(companies, min(per_program, len(companies))):
            submitted = data.moment(40)
            due = TODAY + dt.timedelta(days=rng.randint(DUE_FROM, DUE_TO))
            rows.append(
                (
                    program,
                    company,
                    rng.choice(levels),
                    f"스마트공장 구축 신청 (보완 {company:05d})",
                    "",
                    rng.randrange(50, 400) * 1_000_000,
                    False,
                    Application.Status.CHANGES_REQUESTED,
                    submitted - dt.timedelta(days=3),
                    submitted + dt.timedelta(days=2),
                    submitted,
                    due,
                )
            )
    columns = (
        "program_id company_id level title plan total_cost wants_mentoring status created_at updated_at "
        "submitted_at changes_due_on"
    ).split()
    return _copy(cursor, Application, columns, rows)


def _messages(cursor, data: InboxData, users: dict) -> tuple[int, list[int]]:
    """MESSAGES messages: LONG_THREADS threads of LONG_THREAD in the heavy staff user's agency, the rest
    about five to an application; the long threads' application ids."""
    from applicants.models import Application, Message

    rng = data.rng
    heavy_staff, agency = users["heavy_staff"]
    staff_by_agency: dict[int, list[int]] = {}
    for pk, agency_id in users["staff"]:
        staff_by_agency.setdefault(agency_id, []).append(pk)
    staff_by_agency.setdefault(agency, []).append(heavy_staff)
    live = Application.objects.exclude(status=Application.Status.DRAFT).exclude(
        program__title__endswith=PROGRAM_SUFFIX
    )
    apps = list(live.order_by("pk").values_list("pk", "company_id", "program__agency_id"))
    long = [a for a in apps if a[2] == agency and a[1] in users["sme"]][:LONG_THREADS]
    long_ids = {a[0] for a in long}
    rest = MESSAGES - LONG_THREAD * len(long)
    threads = [(a, LONG_THREAD) for a in long]
    others = [a for a in apps if a[0] not in long_ids]
    counts: dict[tuple, int] = {}
    for a in rng.choices(others, k=rest):
        counts[a] = counts.get(a, 0) + 1
    threads += sorted(counts.items())
    applicant, internal = Message.Visibility.APPLICANT, Message.Visibility.INTERNAL

    def rows():
        for (pk, company, agency_id), n in threads:
            sme = users["sme"].get(company)
            staff = staff_by_agency.get(agency_id) or [heavy_staff]
            moments = sorted(data.moment(365) for _ in range(n))
            for at in moments:
                roll = rng.random()
                if roll < 0.15:
                    author = rng.choice(staff)
                    yield pk, author, f"담당자 {author}", rng.choice(INTERNAL_BODIES), internal, at
                elif roll < 0.55 or sme is None:
                    author = rng.choice(staff)
                    yield pk, author, f"담당자 {author}", rng.choice(MESSAGE_BODIES), applicant, at
                else:
                    yield pk, sme, f"기업 담당자 {company:05d}", rng.choice(MESSAGE_BODIES), applicant, at

    columns = "application_id author_id author_name body visibility created_at".split()
    return _copy(cursor, Message, columns, rows()), [a[0] for a in long]


def _notifications(cursor, data: InboxData, users: dict, heavy_sme: int) -> int:
    """NOTIFICATIONS notices: the heavy users' fixed shares, then a long-tailed share for each SME user."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from applicants.models import Application
    from program.models import Notification

    rng = data.rng
    content_type = ContentType.objects.get_for_model(Application).pk
    by_company: dict[int, list[int]] = {}
    by_agency: dict[int, list[int]] = {}
    for pk, company, agency in Application.objects.values_list("pk", "company_id", "program__agency_id"):
        by_company.setdefault(company, []).append(pk)
        by_agency.setdefault(agency, []).append(pk)
    staff_url = reverse("applicants:staff-detail", args=[987654321]).replace("987654321", "{}")
    sme_url = reverse("applicants:my-detail", args=[987654321]).replace("987654321", "{}")
    heavy_staff, heavy_agency = users["heavy_staff"]
    shares: list[tuple[int, int, list[int], str]] = [
        (heavy_staff, HEAVY_STAFF_NOTICES, by_agency[heavy_agency], staff_url)
    ]
    shares += [(pk, STAFF_NOTICES, by_agency[agency], staff_url) for pk, agency in users["staff"]]
    sme_users = [(pk, company) for company, pk in users["sme"].items() if pk != heavy_sme]
    heavy_company = next(company for company, pk in users["sme"].items() if pk == heavy_sme)
    shares.append((heavy_sme, HEAVY_SME_NOTICES, by_company.get(heavy_company, []), sme_url))
    left = NOTIFICATIONS - sum(share[1] for share in shares)
    weights = [rng.lognormvariate(0, 1) for _ in sme_users]
    scale = left / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(left - sum(counts)):  # what rounding left over, one each
        counts[i % len(counts)] += 1
    shares += [
        (pk, n, by_company.get(company, []), sme_url)
        for (pk, company), n in zip(sme_users, counts, strict=True)
        if n
    ]

    def rows():
        for user, n, targets, url in shares:
            for _ in range(n):
                kind, title, body = rng.choice(NOTICE_KINDS)
                age_days = rng.random() ** 2 * 730  # more of the recent
                at = data.moment(0) - dt.timedelta(days=age_days)
                read = rng.random() < (0.9 if age_days > 30 else 0.25)
                read_at = at + dt.timedelta(hours=1 + rng.random() * 72) if read else None
                target = rng.choice(targets) if targets else None
                yield (
                    user,
                    kind,
                    title,
                    body,
                    url.format(target) if target else "",
                    content_type if target else None,
                    target,
                    at,
                    read_at,
                )

    columns = "user_id kind title body url target_type_id target_id created_at read_at".split()
    return _copy(cursor, Notification, columns, rows())


def load_inbox(*, seed: int = 18, out=print) -> dict | None:
    """Add the inbox data (once): None when it was there already, else what was loaded."""
    from django.db import connection, transaction

    from applicants.models import Application, Message
    from program.models import Notification

    if inbox_loaded():
        out("inbox data already loaded (--reload loads it afresh, --drop removes it)")
        return None
    data = InboxData(seed)
    loaded: dict = {}
    started = time.perf_counter()

    def timed(label, rows, since):
        out(f"  {label:<28} {rows:>10,} rows  {time.perf_counter() - since:7.2f} s")

    with transaction.atomic():
        raw = connection.connection
        with raw.cursor() as cursor:
            if _is_superuser(cursor):  # ids are generated valid; every key is checked below
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            t = time.perf_counter()
            users = _users(out)
            timed("users (SME + staff)", len(users["sme"]) + len(users["staff"]), t)
            tables = [Notification._meta.db_table, Message._meta.db_table]
            indexes = _drop_secondary_indexes(cursor, tables)
            t = time.perf_counter()
            loaded["open_items"] = _open_items(cursor, data)
            timed("open items (changes_requested)", loaded["open_items"], t)
            t = time.perf_counter()
            loaded["messages"], long_threads = _messages(cursor, data, users)
            timed("messages", loaded["messages"], t)
            heavy_company = Application.objects.get(pk=long_threads[0]).company_id
            heavy_sme = users["sme"][heavy_company]
            t = time.perf_counter()
            loaded["notifications"] = _notifications(cursor, data, users, heavy_sme)
            timed("notifications", loaded["notifications"], t)
            t = time.perf_counter()
            for definition in indexes:
                cursor.execute(definition)
            timed(f"create {len(indexes)} indexes", 0, t)
            t = time.perf_counter()
            for table, column, ref in (
                ("program_notification", "user_id", "accounts_user"),
                ("applicants_message", "application_id", "applicants_application"),
                ("applicants_message", "author_id", "accounts_user"),
                ("applicants_application", "company_id", "applicants_company"),
            ):
                cursor.execute(
                    f"SELECT count(*) FROM {table} t WHERE {column} IS NOT NULL"  # noqa: S608 (constants)
                    f" AND NOT EXISTS (SELECT 1 FROM {ref} r WHERE r.id = t.{column})"
                )
                missing = cursor.fetchone()[0]
                if missing:
                    raise SystemExit(f"bench.inbox: {missing} rows of {table}.{column} name no {ref}")
            timed("foreign keys", 0, t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "program_notification",
            "applicants_message",
            "applicants_application",
            "accounts_user",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timed("VACUUM (ANALYZE)", 0, t)
    out(f"loaded the inbox data in {time.perf_counter() - started:.1f} s")
    return loaded


# ---------------------------------------------------------------------------------------------
# The measures


def _subjects() -> dict:
    """The users and applications measured."""
    from django.db.models import Count

    from accounts.models import User
    from applicants.models import Message
    from program.models import Notification

    heavy_staff = User.objects.get(username=HEAVY_STAFF)
    long_thread = (
        Message.objects.filter(application__program__agency_id=heavy_staff.agency_id)
        .values("application")
        .annotate(n=Count("id"))
        .order_by("-n", "application")
        .first()
    )
    if long_thread is None:
        raise SystemExit("no messages in the bench database: run `python -m bench.inbox --reload`")
    from applicants.models import Application

    long_app = Application.objects.select_related("company").get(pk=long_thread["application"])
    heavy_sme = User.objects.get(username=f"{SME_PREFIX}{long_app.company_id:05d}")
    staff_other = User.objects.filter(username__startswith=STAFF_PREFIX).order_by("username").first()
    # A typical SME user: the median number of notices among them (one query over the index).
    counts = sorted(
        Notification.objects.filter(user__username__startswith=SME_PREFIX)
        .values("user")
        .annotate(n=Count("id"))
        .values_list("n", "user")
    )
    typical_n, typical_pk = counts[len(counts) // 2]
    typical_sme = User.objects.get(pk=typical_pk)
    # A typical thread the typical SME's company holds (about five messages), the busiest agency's if any.
    typical_thread = (
        Message.objects.filter(application__program__agency_id=heavy_staff.agency_id)
        .values("application")
        .annotate(n=Count("id"))
        .filter(n__gte=4, n__lte=8)
        .order_by("application")
        .first()
    )
    typical_app = Application.objects.get(pk=typical_thread["application"])
    typical_app_sme = User.objects.get(username=f"{SME_PREFIX}{typical_app.company_id:05d}")
    return {
        "heavy_staff": heavy_staff,
        "heavy_sme": heavy_sme,
        "staff_other": staff_other,
        "typical_sme": typical_sme,
        "typical_n": typical_n,
        "long_app": long_app,
        "long_n": long_thread["n"],
        "typical_app": typical_app,
        "typical_app_n": typical_thread["n"],
        "typical_app_sme": typical_app_sme,
    }


def measure_pages(
    *, runs: int, warmup: int, explain: bool, out=print
) -> list[tuple[str, dict, float | None]]:
    """(label, summary, target ms or None) for every page and count measured."""
    from django.urls import reverse

    from program.models import Notification
    from program.notifications import notification_list, notification_unread_count

    s = _subjects()
    timings = Timings(runs=runs, warmup=warmup)

    def http(label: str, user, url: str, target: float | None = PAGE_TARGET_MS):
        return timings.http(label, user, url, target)

    def call(label: str, fn, target: float | None = PAGE_TARGET_MS):
        return timings.call(label, fn, target)

    inbox, api = reverse("program:inbox"), reverse("notification-list")
    heavy_staff, heavy_sme, typical = s["heavy_staff"], s["heavy_sme"], s["typical_sme"]
    counts = {
        user.pk: Notification.objects.filter(user=user).count() for user in (heavy_staff, heavy_sme, typical)
    }
    out(
        f"users: staff {heavy_staff.username} ({counts[heavy_staff.pk]:,} notices), SME {heavy_sme.username} "
        f"({counts[heavy_sme.pk]:,}), typical SME {typical.username} ({counts[typical.pk]:,})"
    )
    out(
        f"threads: application {s['long_app'].pk} ({s['long_n']:,} messages), "
        f"application {s['typical_app'].pk} ({s['typical_app_n']})\n"
    )
    n_staff, n_sme, n_typ = (f"{counts[u.pk]:,}" for u in (heavy_staff, heavy_sme, typical))
    http(f"inbox page, staff ({n_staff})", heavy_staff, inbox)
    last = (counts[heavy_staff.pk] + 19) // 20
    http(f"inbox page {last} (the last), staff", heavy_staff, f"{inbox}?page={last}", None)
    http(f"inbox page, SME ({n_sme})", heavy_sme, inbox)
    http(f"inbox page, typical SME ({n_typ})", typical, inbox)
    http(f"GET notifications/, staff ({n_staff})", heavy_staff, api)
    http(f"GET notifications/, SME ({n_sme})", heavy_sme, api)
    http(f"GET notifications/, typical SME ({n_typ})", typical, api)
    unread_sql = call(
        f"header unread count, staff ({n_staff})", lambda: notification_unread_count(user=heavy_staff)
    )
    call(f"header unread count, typical SME ({n_typ})", lambda: notification_unread_count(user=typical))
    long_app, typical_app = s["long_app"], s["typical_app"]
    long_n, typ_n = f"{s['long_n']:,}", s["typical_app_n"]
    thread_api = reverse("application-messages", args=[long_app.pk])
    thread_sql = http(f"GET messages/, staff, {long_n}-message thread", heavy_staff, thread_api)
    http(f"GET messages/, SME, {long_n}-message thread", heavy_sme, thread_api)
    http(
        f"GET messages/, staff, {typ_n}-message thread",
        heavy_staff,
        reverse("application-messages", args=[typical_app.pk]),
    )
    # The whole application page (every panel; the thread's newest THREAD_SHOWN): figures, no target.
    http(
        f"staff application page, {long_n}-message thread",
        heavy_staff,
        reverse("applicants:staff-detail", args=[long_app.pk]),
        None,
    )
    http(
        f"SME application page, {long_n}-message thread",
        heavy_sme,
        reverse("applicants:my-detail", args=[long_app.pk]),
        None,
    )
    http(
        f"staff application page, {typ_n}-message thread",
        heavy_staff,
        reverse("applicants:staff-detail", args=[typical_app.pk]),
        None,
    )
    http(
        f"SME application page, {typ_n}-message thread",
        s["typical_app_sme"],
        reverse("applicants:my-detail", args=[typical_app.pk]),
        None,
    )
    if explain:
        from django.core.paginator import Paginator

        out("EXPLAIN (ANALYZE, BUFFERS): the inbox's first page, its count, the unread count, the thread\n")
        page_sql = captured_sql(lambda: list(Paginator(notification_list(user=heavy_staff), 20).get_page(1)))
        explain_analyze([*page_sql, *unread_sql, *(q for q in thread_sql if "applicants_message" in q)], out)
    return timings.rows


def _reset_reminders(day: dt.date) -> int:
    """Remove what an earlier run sent for `day`: its claims, notices and e-mails. How many claims."""
    from applicants.models import ReminderSent
    from program.models import Notification, OutgoingEmail

    deleted, _ = ReminderSent.objects.filter(day=day, kind__startswith="changes_requested.").delete()
    Notification.objects.filter(kind__startswith="reminder.changes_requested.").delete()
    OutgoingEmail.objects.filter(to__endswith=f"@{EMAIL_DOMAIN}", subject__contains="보완 기한").delete()
    return deleted


def measure_reminders(out=print) -> list[dict]:
    """Two runs of the daily task for the reference day: (seconds, sent, notices, e-mails) each."""
    from applicants.models import Application
    from applicants.tasks import send_due_reminders
    from program.models import Notification, OutgoingEmail

    _reset_reminders(TODAY)
    open_items = Application.objects.filter(status=Application.Status.CHANGES_REQUESTED).count()
    due = Application.objects.filter(
        status=Application.Status.CHANGES_REQUESTED,
        changes_due_on__in=[TODAY, TODAY + dt.timedelta(days=3)],
    ).count()
    out(f"reminders for {TODAY}: {open_items:,} open change requests, {due:,} due today or in 3 days")
    runs = []
    for _ in range(2):
        notices_before = Notification.objects.filter(kind__startswith="reminder.changes_requested.").count()
        emails_before = OutgoingEmail.objects.filter(subject__contains="보완 기한").count()
        started = time.perf_counter()
        sent = send_due_reminders(TODAY.isoformat())
        seconds = time.perf_counter() - started
        runs.append(
            {
                "seconds": seconds,
                "sent": sent,
                "notices": Notification.objects.filter(kind__startswith="reminder.changes_requested.").count()
                - notices_before,
                "emails": OutgoingEmail.objects.filter(subject__contains="보완 기한").count() - emails_before,
            }
        )
    return runs


def run(*, runs: int = 30, warmup: int = 3, explain: bool = False, reminders: bool = True, out=print) -> bool:
    from django.conf import settings
    from django.db import connection

    from applicants.models import Message
    from program.models import Notification

    broker = "eager (no broker)" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL
    out(f"inbox, thread and reminders (issue 18) — {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    out(
        f"{Notification.objects.count():,} notifications, {Message.objects.count():,} messages; "
        f"{runs} timed runs after {warmup} warm-up runs each; broker {broker}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    rows = measure_pages(runs=runs, warmup=warmup, explain=explain, out=out)
    timing_table([(label, row) for label, row, _ in rows], width=50, out=out)
    out("(no target: the last inbox page, and the application pages, which draw every panel)")
    missed = [
        f"{label}: {row['median']:.1f} ms > {target:.0f} ms"
        for label, row, target in rows
        if target is not None and row["median"] > target
    ]
    if reminders:
        out("")
        first, second = measure_reminders(out=out)
        out(f"| {'reminder run':<24} | {'seconds':>8} | {'sent':>6} | {'notices':>7} | {'e-mails':>7} |")
        out(f"|{'-' * 26}|{'-' * 10}|{'-' * 8}|{'-' * 9}|{'-' * 9}|")
        for label, r in (("first", first), ("second (again)", second)):
            figures = f"{r['seconds']:>8.2f} | {r['sent']:>6,} | {r['notices']:>7,} | {r['emails']:>7,}"
            out(f"| {label:<24} | {figures} |")
        if first["seconds"] > REMINDER_TARGET_S:
            missed.append(f"reminder run: {first['seconds']:.1f} s > {REMINDER_TARGET_S:.0f} s")
        if second["sent"] or second["notices"] or second["emails"]:
            missed.append(f"second reminder run sent {second['sent']} again")
        if not first["sent"]:
            missed.append("first reminder run sent nothing")
    out("")
    medians = [row["median"] for label, row, target in rows if target is not None]
    if missed:
        out("FAIL: " + "; ".join(missed))
    else:
        out(
            f"PASS: every page and count ≤ {PAGE_TARGET_MS:.0f} ms median (slowest "
            f"{max(medians):.1f}, median of medians {statistics.median(medians):.1f})"
            + (
                ""
                if not reminders
                else f"; reminders ≤ {REMINDER_TARGET_S:.0f} s, the second run sent nothing"
            )
        )
    return not missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inbox", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the inbox queries")
    parser.add_argument("--no-reminders", action="store_true", help="skip the reminder runs")
    parser.add_argument("--load-only", action="store_true", help="add the inbox data, measure nothing")
    parser.add_argument("--reload", action="store_true", help="drop the inbox data and load it afresh")
    parser.add_argument("--drop", action="store_true", help="remove the inbox data and stop")
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2
    if args.drop or args.reload:
        drop_inbox()
        if args.drop:
            return 0
    load_inbox(seed=args.seed)
    if args.load_only:
        return 0
    passed = run(runs=args.runs, warmup=args.warmup, explain=args.explain, reminders=not args.no_reminders)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
