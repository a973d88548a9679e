"""Tests: the same settings as local, made fast and quiet."""

from pathlib import Path

from config.env import envstr

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker a test starts may be sent to a real SMTP server of the test (program/tests/smtp.py).
EMAIL_BACKEND = envstr("TEST_EMAIL_BACKEND") or "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# A test that starts a worker gives it its own directory (TEST_MEDIA_ROOT) and looks there too.
MEDIA_ROOT = Path(envstr("TEST_MEDIA_ROOT") or BASE_DIR / ".test-media")  # noqa: F405
