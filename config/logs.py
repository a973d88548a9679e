"""LOGGING for every process (web, gunicorn, Celery worker and beat): one handler on the root logger.

LOG_FORMAT=json (the default under the production settings) writes one JSON object a line, for a
log collector: time (ISO 8601, UTC), level, logger, message, request_id, and exc_info when there is
a traceback. LOG_FORMAT=text writes the same fields as a readable line, for a developer's terminal.
Django's, gunicorn's and Celery's loggers have no handler of their own: they reach the root one.
"""

import datetime
import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

FIELDS = ["asctime", "levelname", "name", "message", "request_id"]
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def _iso_time(record: logging.LogRecord) -> str:
    """UTC with its offset: lines from nodes in different time zones sort and compare as they are."""
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds")


class JsonLineFormatter(JsonFormatter):
    def __init__(self) -> None:
        super().__init__(FIELDS, rename_fields=RENAMED)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso_time(record)


class TextLineFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT)

    def format(self, record: logging.LogRecord) -> str:
        # Outside a request or a task the id is None: "-" reads better in a line.
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso_time(record)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The dictConfig for LOGGING (and gunicorn's logconfig_dict, config/gunicorn.py)."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, got {log_format!r}")
    formatter = JsonLineFormatter if log_format == "json" else TextLineFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
        "formatters": {"line": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's (DEFAULT_LOGGING gives them a console of their own under DEBUG, runserver's
            # lines another) and gunicorn's (its defaults give them theirs) go through the root handler.
            "django": {"handlers": [], "propagate": True, "level": "INFO"},
            "django.server": {"handlers": [], "propagate": True},
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"handlers": [], "propagate": True},
            # WeasyPrint logs every step of every PDF report at INFO.
            "weasyprint.progress": {"level": "WARNING"},
            # Axes logs every successful login at INFO; lock-outs and failures stay visible at WARNING.
            "axes": {"level": "WARNING"},
        },
    }
