"""Tests: the same settings as local, made fast and quiet."""

from pathlib import Path

from config.env import envstr

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# A test that starts a worker gives it its own directory (TEST_MEDIA_ROOT) and looks there too.
MEDIA_ROOT = Path(envstr("TEST_MEDIA_ROOT") or BASE_DIR / ".test-media")  # noqa: F405
# Seconds a report generator sleeps at each progress tick: lets the worker tests kill a worker
# in the middle of a report. Never set outside tests.
REPORT_CHUNK_DELAY = float(envstr("REPORT_CHUNK_DELAY") or 0)
# Seconds the cost-share task sleeps inside its transaction / after it commits: lets the worker
# tests kill a worker at either point (funds/tests/test_cost_share_worker.py). Never set outside tests.
COST_SHARE_PAUSE_INSIDE = float(envstr("COST_SHARE_PAUSE_INSIDE") or 0)
COST_SHARE_PAUSE_AFTER = float(envstr("COST_SHARE_PAUSE_AFTER") or 0)
