"""Development: the default for manage.py. Debug on unless DEBUG=false."""

from config.env import envbool

from .base import *  # noqa: F403

DEBUG = envbool("DEBUG", True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
