"""Browser tests: Debian's chromium driven by Playwright against the live test server.

The browser is the distribution's (`make browser` installs it); Playwright never downloads one.
Screenshots of the main pages are kept in test-artifacts/screenshots/ for people to look at, and
every main page is checked with axe-core (shipped inside axe-playwright-python, no network).
"""

import os
import pathlib

import pytest

CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-42"  # tests.factories.UserFactory's


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
    browser steps are ordinary synchronous calls, which Django would otherwise refuse here. Only for
    these tests: the variable must not leak into anything else (check --deploy refuses it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _no_public_media():
    """Uploads are private (MEDIA_URL is None): the live test server must not serve MEDIA_ROOT
    either, and Django's test handler cannot parse a None MEDIA_URL, so it is told to stand aside."""
    from django.test import testcases

    original = testcases._MediaFilesHandler._should_handle
    testcases._MediaFilesHandler._should_handle = lambda self, path: False
    yield
    testcases._MediaFilesHandler._should_handle = original


@pytest.fixture
def chromium(_orm_beside_playwright):
    """One browser per test: Playwright's event loop lives only as long as the test, so no other test
    in this worker runs beside it."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Pages in separate browser contexts (one per person), Korean by default, closed at the end.
    Anything the Content-Security-Policy blocked on any page fails the test."""
    contexts = []
    blocked = []

    def watch(message):
        if getattr(message.page, "axe_running", False):
            return  # axe-core's own probes (it styles elements it measures), not the app's
        if "Content Security Policy" in message.text:
            blocked.append(f"{message.page.url if message.page else ''}: {message.text}")

    def make(locale: str = "ko-KR"):
        context = chromium.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not blocked, "the CSP blocked:\n" + "\n".join(blocked)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str = PASSWORD) -> None:
    """Signs in through the login page; a user who owes a second factor (staff, the ministry, sponsor
    users, superusers: SPEC §20) types its code next, from a device made for it (tests/two_factor.py)."""
    from tests.two_factor import browser_second_factor

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    browser_second_factor(page, username)
    assert "/account/two-factor/" not in page.url, f"{username} did not pass the second factor"


def axe_run(page):
    """axe-core's results on the current page. While it runs, what the CSP blocks is axe's own doing
    (it applies inline styles to the elements it measures), so the CSP watch of new_page ignores it."""

    from axe_playwright_python.sync_playwright import Axe

    page.axe_running = True
    try:
        return Axe().run(page)
    finally:
        page.axe_running = False


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the current page, one line each."""

    results = axe_run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


def assert_accessible(page) -> None:
    found = serious_violations(page)
    assert not found, f"axe on {page.url}:\n" + "\n".join(found)
