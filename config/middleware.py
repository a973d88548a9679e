"""A database that cannot be reached answers 503 with a short message, not a bare 500; a NUL
character anywhere in a request answers 400."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from config.parsers import NUL, NUL_MESSAGE, has_nul

logger = logging.getLogger(__name__)

MESSAGE = _("데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.")
RETRY_AFTER_SECONDS = 30

PAGE = """<!doctype html>
<html lang="ko">
<head>
  <meta charset="utf-8">
  <title>일시적인 장애 · Service unavailable</title>
</head>
<body>
  <h1>일시적인 장애</h1>
  <p>{korean}</p>
  <p lang="en">{english}</p>
</body>
</html>
"""


class DatabaseUnavailableMiddleware:
    """A view (or the template it renders) that fails because the database is down or its connection
    was lost answers 503 with Retry-After: pages in Korean with English below, the API (/api/) in
    JSON {"detail", "code"} in the request's language. Other errors go on to Django's handling.

    The next request gets a fresh connection: Django closes a connection that had an error
    (conn_health_checks, config/settings/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable: %s %s: %s", request.method, request.path, exception)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(MESSAGE), "code": "database_unavailable"}, status=503)
        else:
            with translation.override("ko"):
                korean = str(MESSAGE)
            with translation.override("en"):
                english = str(MESSAGE)
            page = PAGE.format(korean=escape(korean), english=escape(english))
            response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


class NulCharacterMiddleware:
    """A NUL character in the path, the query string or a form body answers 400 before any view:
    PostgreSQL cannot store or compare text holding one (config/parsers.py). The API answers JSON
    {"detail", "code"}; pages the 400 page with the message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        # API bodies are read by the REST framework's parsers, which check them (and answer a
        # malformed body with 400); a page's form body is read here, as CSRF checking reads it anyway.
        form = request.method == "POST" and not api
        if NUL in request.path or has_nul(request.GET) or (form and has_nul(request.POST)):
            return self.refuse(request, api=api)
        return self.get_response(request)

    @staticmethod
    def refuse(request, *, api: bool):
        if api:
            return JsonResponse({"detail": str(NUL_MESSAGE), "code": "nul_character"}, status=400)
        return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
