"""Errors to Sentry, only when SENTRY_DSN is set (config/settings/base.py calls `sentry_init`).

The applicants are SMEs and their CEOs: no personal data leaves with an event (send_default_pii off:
no user, address, cookies or form bodies). Each event carries the request id (config/request_id.py),
so an error in Sentry leads to every log line of its request and of the tasks it enqueued.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from config import request_id


def _tag_request_id(event: Any, hint: Any) -> Any:
    current = request_id.current()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_request_id,
    )
