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
