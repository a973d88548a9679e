"""Gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi:application`.

Its own lines (start, worker boot, errors) and its access lines go through LOGGING's one handler
(config/logs.py), so they are JSON under LOG_FORMAT=json like every other line; an access line
carries the request's id from its X-Request-ID response header (config/request_id.py).
With PROMETHEUS_MULTIPROC_DIR set, the workers' metrics files are emptied at start and a dead
worker's are marked so that its gauges leave the sum (config/metrics.py).
"""

import os
import shutil
from pathlib import Path

from config.logs import logging_config

# Under the production settings LOG_FORMAT defaults to json, as here.
logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "json"), level=os.environ.get("LOG_LEVEL", "INFO")
)
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
