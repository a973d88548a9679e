"""A load test on loopback: gunicorn (2 workers) serving the benchmark database to simulated users.

    DATABASE_URL=postgres://…/smartfactory_bench python -m bench.loadtest --users 50 --seconds 60

Creates (once) bench users with real sessions: SME applicants bound to companies that hold a draft in
an open program, staff, and the sponsor users of `bench.load`. Starts gunicorn on a free port of
127.0.0.1 with DEBUG off, then runs `--users` threads for `--seconds` in a mix of 50 % SMEs (home
page, their applications, the plan step of their draft, and saving it with the CSRF token), 30 %
staff (the review queue paged with filters and sorts, an application's detail page) and 20 % sponsors
(their dashboard page and its API), each waiting `--think` seconds (default 1–3) between scenarios as
a person would. Prints requests, errors and p50/p95 per kind and overall; exits 1 on any error (a
status other than the expected one, or an exception); stops gunicorn at the end.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.load import ROOT, add_database_url_argument, connect_benchmark_database
from bench.measure import percentile, user_named

BROKER_URL = "redis://127.0.0.1:6379/7"
REGIONS = ["서울", "경기", "부산", "경남", "충북"]
STATUSES = ["submitted", "screening", "evaluation", "selected", "completed"]
SORTS = ["-submitted_at", "-score", "total_cost"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXTAREA = re.compile(r'<textarea name="plan"[^>]*>(.*?)</textarea>', re.S)


def _session(user) -> str:
    """A signed-in session for `user`, as `django.contrib.auth.login` would store it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600)
    store.save()
    return store.session_key


def prepare(smes: int, staff_users: int) -> dict:
    """Bench users and their sessions: {"sme": [(session, draft id)], "staff": [...], "sponsor": [...]}."""
    from accounts.models import Role, User
    from applicants.models import Application
    from program.models import Agency

    def user(username, **fields):
        return user_named(username, first_name="벤치", **fields)

    drafts = list(
        Application.objects.filter(status="draft", program__status="open")
        .order_by("company_id", "pk")
        .distinct("company_id")
        .values_list("pk", "company_id")[:smes]
    )
    sessions = {"sme": [], "staff": [], "sponsor": []}
    for number, (draft, company) in enumerate(drafts, 1):
        sme = user(f"bench-sme-{number:03d}", role=Role.APPLICANT, company_id=company)
        sessions["sme"].append((_session(sme), draft))
    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    for number in range(1, staff_users + 1):  # spread over the agencies, as their staff are
        agency = agencies[(number - 1) % len(agencies)]
        staff = user(f"bench-staff-{number:02d}", role=Role.STAFF, agency_id=agency)
        sessions["staff"].append((_session(staff), None))
    for sponsor in User.objects.filter(role=Role.SPONSOR, username__startswith="bench-sponsor-"):
        sessions["sponsor"].append((_session(sponsor), sponsor.sponsor_id))
    return sessions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or BROKER_URL,
        "DEBUG": "false",
        "PYTHONWARNINGS": "ignore",
    }
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "config.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--backlog=256",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own command line)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/")
            if connection.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.errors = defaultdict(int)
        self.examples: list[str] = []

    def add(self, kind: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.samples[kind].append(ms)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {error}")


class Browser:
    """One simulated person: a cookie jar and plain HTTP/1.1 requests (no keep-alive under sync workers)."""

    def __init__(self, port: int, session: str, recorder: Recorder):
        from django.conf import settings

        self.port = port
        self.cookies = {settings.SESSION_COOKIE_NAME: session}
        self.recorder = recorder

    def request(self, kind, method, path, *, body=None, expect=(200,), headers=None):
        all_headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "ko"}
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        if body is not None:
            body = urlencode(body).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
        except Exception as error:  # every failure counts as an error
            self.recorder.add(kind, (time.perf_counter() - started) * 1000, f"{path}: {error!r}")
            return None
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        error = None if response.status in expect else f"{method} {path} → {response.status}"
        self.recorder.add(kind, ms, error)
        return text


def sme(browser: Browser, draft: int, rng: random.Random) -> None:
    browser.request("sme home", "GET", "/")
    browser.request("sme my", "GET", "/my/")
    page = browser.request("sme plan", "GET", f"/apply/{draft}/plan/")
    if page and (token := CSRF_FIELD.search(page)):
        plan = TEXTAREA.search(page)
        text = html.unescape(plan.group(1)).strip() if plan else ""
        text = re.sub(r"\s*\[벤치 저장 \d+\]$", "", text) + f"\n[벤치 저장 {rng.randint(1, 999)}]"
        total = rng.randrange(50_000_000, 300_000_000, 1_000_000)
        browser.request(
            "sme save draft",
            "POST",
            f"/apply/{draft}/plan/",
            body={"csrfmiddlewaretoken": token.group(1), "plan": text, "total_cost": total, "go": "stay"},
            expect=(200, 302),
        )


def staff(browser: Browser, _unused, rng: random.Random) -> None:
    query = {"status": rng.choice(STATUSES), "ordering": rng.choice(SORTS), "page_size": 50}
    if rng.random() < 0.5:
        query["region"] = rng.choice(REGIONS)
    if rng.random() < 0.3:
        query["q"] = rng.choice(["금강테크", "정밀", "유성기계", "스마트"])
    page = None
    for number in (1, 2):
        page = browser.request("staff queue", "GET", f"/staff/applications/?{urlencode(query)}&page={number}")
    ids = re.findall(r'href="/staff/applications/(\d+)/"', page or "")
    if ids:
        browser.request("staff detail", "GET", f"/staff/applications/{rng.choice(ids)}/")


def sponsor(browser: Browser, sponsor_id: int, rng: random.Random) -> None:
    browser.request("sponsor page", "GET", "/sponsor/")
    browser.request("sponsor API", "GET", f"/api/v1/sponsors/{sponsor_id}/dashboard/")


SCENARIOS = {"sme": sme, "staff": staff, "sponsor": sponsor}


def _user_loop(kind, port, session, argument, recorder, stop_at, seed, think):
    rng = random.Random(seed)  # noqa: S311 (simulation)
    browser = Browser(port, session, recorder)
    time.sleep(rng.uniform(0, 2))  # people do not all arrive in the same millisecond
    while time.monotonic() < stop_at:
        SCENARIOS[kind](browser, argument, rng)
        time.sleep(rng.uniform(*think))


def report(recorder: Recorder, seconds: float, out=print) -> int:
    out(f"| {'kind':<16} | {'requests':>8} | {'errors':>6} | {'p50 ms':>8} | {'p95 ms':>8} |")
    out(f"|{'-' * 18}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 10}|")
    everything = []
    for kind in sorted(recorder.samples):
        samples = recorder.samples[kind]
        everything += samples
        out(
            f"| {kind:<16} | {len(samples):>8,} | {recorder.errors[kind]:>6} | "
            f"{percentile(samples, 50):>8.1f} | {percentile(samples, 95):>8.1f} |"
        )
    errors = sum(recorder.errors.values())
    out(
        f"| {'all':<16} | {len(everything):>8,} | {errors:>6} | {percentile(everything, 50):>8.1f} | "
        f"{percentile(everything, 95):>8.1f} |"
    )
    out(f"\n{len(everything) / seconds:.1f} requests/s over {seconds:.0f} s")
    for example in recorder.examples:
        out(f"  error: {example}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__.split("\n\n")[0])
    add_database_url_argument(parser)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    args = parser.parse_args(argv)
    if not connect_benchmark_database(parser, args.database_url):
        return 2

    mix = {"sme": args.users // 2, "staff": args.users * 3 // 10}
    mix["sponsor"] = args.users - mix["sme"] - mix["staff"]
    sessions = prepare(smes=mix["sme"], staff_users=max(mix["staff"] // 3, 1))
    if not all(sessions.values()):
        raise SystemExit(f"missing bench users or drafts: { {k: len(v) for k, v in sessions.items()} }")
    port = _free_port()
    server = start_gunicorn(args.database_url, port, args.workers)
    recorder = Recorder()
    try:
        print(
            f"load test — gunicorn {args.workers} sync workers on 127.0.0.1:{port}, {os.cpu_count()} CPUs; "
            f"{args.users} users ({mix['sme']} SME, {mix['staff']} staff, {mix['sponsor']} sponsor) "
            f"for {args.seconds:.0f} s\n"
        )
        stop_at = time.monotonic() + args.seconds
        threads = []
        for kind, count in mix.items():
            for number in range(count):
                session, argument = sessions[kind][number % len(sessions[kind])]
                seed = args.seed * 1000 + len(threads)
                thread = threading.Thread(
                    target=_user_loop,
                    args=(kind, port, session, argument, recorder, stop_at, seed, tuple(args.think)),
                    daemon=True,
                )
                threads.append(thread)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    errors = report(recorder, elapsed)
    print(f"\n{'FAIL' if errors else 'PASS'}: {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
