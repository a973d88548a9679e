import os

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

# Property tests judge correctness, not speed: no per-example deadline, which a loaded machine (CI on
# two cores, xdist workers, a worker process beside) misses now and then with a correct example.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL or a real broker run only where those are configured."""
    on_postgres = settings.USING_POSTGRES
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "broker" in item.keywords and not (has_broker and on_postgres):
            item.add_marker(
                pytest.mark.skip(reason="needs Redis and PostgreSQL: set CELERY_BROKER_URL and DATABASE_URL")
            )


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test, even where a real broker is configured."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request served in English by the test client
    leaves English active in this thread (LocaleMiddleware activates it and nothing resets it)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff():
    """A program staff user (docs/domain.md §1); a module needing a particular one defines its own `staff`."""
    from tests.factories import UserFactory

    return UserFactory(role="staff")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the rate limits per client address count there
    (accounts/security.py), and every test client comes from the same address."""
    from django.core.cache import cache

    cache.clear()


# --- Object storage (tests/s3.py) ---------------------------------------------------------------
@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """One S3-protocol server (moto_server) per test session, or per xdist worker."""
    from tests.s3 import s3_server_start, s3_server_stop

    server = s3_server_start(tmp_path_factory.mktemp("s3") / "moto.log")
    yield server
    s3_server_stop(server)


@pytest.fixture
def s3_storage(s3_server, settings, tmp_path):
    """This test's files go to a fresh, private bucket of the S3 test server, as under STORAGE_BUCKET
    in production (config/settings/base.py); MEDIA_ROOT points at an empty directory, so a test can
    show that nothing lands on local disk. Yields the bucket's name."""
    from config.settings.base import object_storage
    from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY

    bucket = s3_server.bucket_create()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGE_BUCKET = bucket
    settings.STORAGE_ENDPOINT_URL = s3_server.url
    settings.STORAGE_SIGNED_URLS = False
    settings.STORAGE_URL_EXPIRY = 60
    # Assigning STORAGES sends setting_changed: Django forgets the storages it made (default_storage too).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage(
            bucket=bucket,
            endpoint_url=s3_server.url,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
            expiry=60,
        ),
    }
    return bucket


# --- Two-factor sign-in (SPEC §20, accounts/otp.py) ---------------------------------------------------
TWO_FACTOR_TEST_SESSION_KEY = "tests.two_factor_verified"
_two_factor_for_logins = {"on": True}


@pytest.fixture(scope="session", autouse=True)
def _test_logins_count_as_two_factor():
    """Staff, the ministry, sponsor users and superusers owe a second factor after signing in
    (accounts.middleware.TwoFactorMiddleware). The test client's `force_login` and `login` (the hundreds
    of tests that sign such users in to test something else) mark their session as verified, and
    accounts.otp.session_verified honours that mark — only here: the patch lives in this file, so
    production code has no way around the code. Logins through the login page (the browser tests) are
    not marked: tests/two_factor.py types the code there. A test marked `real_two_factor` gets unmarked
    sessions, to test the enforcement itself."""
    from django.test.client import ClientMixin

    from accounts import otp

    original_login, original_verified = ClientMixin._login, otp.session_verified

    def _login(self, user, backend=None):
        original_login(self, user, backend)
        if _two_factor_for_logins["on"]:
            session = self.session
            session[TWO_FACTOR_TEST_SESSION_KEY] = True
            session.save()

    def session_verified(request) -> bool:
        return bool(request.session.get(TWO_FACTOR_TEST_SESSION_KEY)) or original_verified(request)

    ClientMixin._login, otp.session_verified = _login, session_verified
    yield
    ClientMixin._login, otp.session_verified = original_login, original_verified


@pytest.fixture(autouse=True)
def _real_two_factor(request):
    """`@pytest.mark.real_two_factor`: the test client's logins owe the second factor like anyone's."""
    if request.node.get_closest_marker("real_two_factor") is None:
        yield
        return
    _two_factor_for_logins["on"] = False
    yield
    _two_factor_for_logins["on"] = True
