"""Settings come from the environment: embedded defaults when unset, PostgreSQL + Redis when set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; django.setup(); from django.conf import settings; from config.celery import app;"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': app.conf.broker_url,"
    " 'app_eager': app.conf.task_always_eager, 'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE}))"
)


def _clean_env(**extra):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY")
    }
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _probe(settings_module="config.settings.local", **extra):
    result = _run([sys.executable, "-c", PROBE], _clean_env(DJANGO_SETTINGS_MODULE=settings_module, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_defaults_to_sqlite_and_in_process_tasks():
    found = _probe()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"].endswith("db.sqlite3")
    assert found["eager"] is True and found["app_eager"] is True
    assert found["broker"].startswith("memory://")
    assert (found["tz"], found["lang"]) == ("Asia/Seoul", "ko")


def test_it_uses_postgres_and_redis_when_configured():
    found = _probe(
        DATABASE_URL="postgres://sf:secret@db.internal:5432/smartfactory",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "smartfactory"
    assert found["eager"] is False and found["app_eager"] is False
    assert found["broker"] == "redis://cache.internal:6379/0"


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "p9#x2!vL0q@Zr7$kT4wN8&bF1^mH6*eJ3(cY5)uA0-sD9_gK2+",
    "ALLOWED_HOSTS": "smartfactory.example.go.kr",
    "DATABASE_URL": "postgres://sf:secret@db.internal:5432/smartfactory",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
}


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _clean_env(**PRODUCTION_ENV),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without_their_secrets(missing):
    env = _clean_env(**PRODUCTION_ENV)
    env.pop(missing)
    result = _run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


SECURITY_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE,"
    " 'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    " 'redirect': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER, 'debug': s.DEBUG,"
    " 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES'], 'axes': [s.AXES_ENABLED, s.AXES_FAILURE_LIMIT],"
    " 'middleware': s.MIDDLEWARE,"
    " 'validators': [v['NAME'].rsplit('.', 1)[1] for v in s.AUTH_PASSWORD_VALIDATORS]}))"
)


def _security(**extra):
    result = _run([sys.executable, "-c", SECURITY_PROBE], _clean_env(**PRODUCTION_ENV, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_secure_cookies_hsts_csp_and_lock_out():
    found = _security()
    assert found["session"] is True and found["csrf"] is True and found["debug"] is False
    assert found["hsts"] >= 365 * 24 * 3600 and found["subdomains"] is True
    assert found["redirect"] is True
    assert found["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["csp"]["script-src"] == ["'self'"] and found["csp"]["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in found["csp"].values() for value in values)
    assert found["axes"] == [True, 5]
    assert "axes.middleware.AxesMiddleware" in found["middleware"]
    assert "csp.middleware.CSPMiddleware" in found["middleware"]
    assert {"CommonPasswordValidator", "NumericPasswordValidator", "MinimumLengthValidator"} <= set(
        found["validators"]
    )


def test_https_redirect_and_the_proxy_header_follow_the_environment():
    found = _security(SECURE_SSL_REDIRECT="false", SECURE_PROXY_SSL_HEADER="false")
    assert found["redirect"] is False and found["proxy"] is None
    assert found["session"] is True  # cookies stay secure whatever the redirect
