"""One id per request, on every log line it causes, in its response and in the tasks it enqueues.

An operator who reads an error in the logs (or a user who quotes the X-Request-ID of a failed page)
finds every line of that request, and of the Celery tasks it sent (config/celery.py carries the id
in the task message's headers), across web nodes and workers. A well-formed X-Request-ID from the
proxy in front is kept, so the proxy's log and ours share one id; anything else is replaced.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

HEADER = "X-Request-ID"
# Letters, digits and - _ . : up to 64 characters: a UUID, a proxy's id, never a log-injection payload.
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current() -> str | None:
    """The id of the request (or of the task, when a worker runs it) being served, if any."""
    return _current.get()


def accepted(value: str | None) -> str:
    """The incoming id when it is well formed, else a new one (uuid4, hex)."""
    if value and WELL_FORMED.match(value):
        return value
    return uuid.uuid4().hex


def activate(value: str | None):
    """Make `value` the current id; answers the token that `deactivate` takes to restore the previous one."""
    return _current.set(value)


def deactivate(token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line logged while the request is served carries its id.

    The id stays current until the response is closed (request_finished), not only until the
    middleware returns: Django logs "Not Found" and slow responses after the middleware is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted(request.headers.get(HEADER))
        request.request_id = request_id
        activate(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _request_over(**kwargs) -> None:
    # The thread serves another request afterwards: lines logged in between carry no stale id.
    activate(None)


request_finished.connect(_request_over, dispatch_uid="config.request_id")


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (None outside a request or a task), for the formatters.

    Gunicorn's access line is logged after the response, when the request's id is no longer
    current: it is read from the X-Request-ID response header among the line's atoms instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current()
        if request_id is None and record.name == "gunicorn.access" and isinstance(record.args, dict):
            header = record.args.get("{x-request-id}o")
            request_id = header if header and header != "-" else None
        record.request_id = request_id
        return True
