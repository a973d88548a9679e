"""Production: behind HTTPS, gunicorn serving, whitenoise for static files.

SECRET_KEY and ALLOWED_HOSTS must come from the environment; there are no defaults here.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envstr
from config.logs import logging_config

from .base import *  # noqa: F403

DEBUG = False
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients): the
# default. SECURE_PROXY_SSL_HEADER=false when the app itself terminates TLS or no such proxy exists.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("SECURE_PROXY_SSL_HEADER", True) else None
)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
# The container's health check asks over plain HTTP from inside (docker-compose.yml): not redirected.
# Prometheus scrapes /metrics/ the same way, with its token (config/metrics.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# One JSON object a line for the log collector (config/logs.py); LOG_FORMAT=text for a person reading.
LOG_FORMAT = envstr("LOG_FORMAT", "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)  # noqa: F405
