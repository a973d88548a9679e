"""GET /health/: the state of the database, of the task broker and of the pages (docs/domain.md §10)."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


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


def _pages_state() -> str:
    """Every page extends base.html: rendering it resolves its URLs, translations and static files,
    so a missing static manifest (collectstatic not run under the production settings) or a broken
    base template fails here as it would on every page. Cheap: templates and the manifest are cached."""
    try:
        render_to_string("base.html")
    except Exception:
        logger.exception("health: pages cannot render")
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def health(request):
    database = _database_state()
    broker = _broker_state()
    pages = _pages_state()
    # The app serves without the broker (queued work waits), but not without its database or pages.
    serving = database == "ok" and pages == "ok"
    status = "ok" if serving and broker != "unavailable" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker, "pages": pages},
        status=200 if serving else 503,
    )
