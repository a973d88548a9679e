import logging.config
import os

from celery import Celery, signals

from config import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("smartfactory")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The message header that carries the id of the request (or task) that enqueued a task.
HEADER = "request_id"


@signals.setup_logging.connect
def logging_setup(**kwargs) -> None:
    """Workers and beat log through LOGGING (config/logs.py), as the web does: Celery, seeing a
    receiver here, adds no handler or format of its own (CELERY_WORKER_HIJACK_ROOT_LOGGER is off too)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def request_id_send(headers=None, **kwargs) -> None:
    """A task enqueued while a request (or a task) is served carries its id to the worker."""
    current = request_id.current()
    if headers is not None and current and HEADER not in headers:
        headers[HEADER] = current


@signals.task_prerun.connect
def request_id_restore(task=None, **kwargs) -> None:
    """The worker's lines for this task carry the id of the request that enqueued it. A task run
    in-process (eager) has no message: it keeps the id of the request it runs in."""
    if task is None:
        return
    sent = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER)
    if sent:
        task.request.request_id_token = request_id.activate(request_id.accepted(sent))


@signals.task_postrun.connect
def request_id_clear(task=None, **kwargs) -> None:
    """The next task this worker runs starts without this one's id."""
    token = getattr(task.request, "request_id_token", None) if task is not None else None
    if token is not None:
        request_id.deactivate(token)
        task.request.request_id_token = None
