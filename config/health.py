"""GET /health/: the state of the database and of the task broker (SPEC §10)."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "unavailable"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def health(request):
    database = _database_state()
    broker = _broker_state()
    # The app serves without the broker (queued work waits), but not without its database.
    status = "ok" if database == "ok" and broker != "unavailable" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker},
        status=200 if database == "ok" else 503,
    )
