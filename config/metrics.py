"""Prometheus metrics: requests, latency and database queries per route, the task queue's depth,
and figures the apps compute (settings.PLUGINS["metrics"]), at GET /metrics/ for whoever holds
METRICS_TOKEN. Without the token the address answers 404, as an unknown one does.

Gunicorn runs several worker processes, each counting its own requests: with PROMETHEUS_MULTIPROC_DIR
set (a directory of their own, emptied when gunicorn starts: config/gunicorn.py) they write their
counts there and any of them answers the scrape with the sum of all. Routes are the resolver's view
names, never raw paths, so the number of series stays bounded whatever addresses are asked for.
"""

import hmac
import logging
import os
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from config.plugins import plugins

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "http_requests", "HTTP requests answered, by method, route and status.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds", "Time to answer a request, by method and route.", ["method", "route"]
)
QUERIES = Histogram(
    "http_request_db_queries",
    "Database queries run to answer a request, by route.",
    ["route"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)
DB_TIME = Histogram(
    "http_request_db_seconds", "Time spent in database queries to answer a request, by route.", ["route"]
)
UNMATCHED = "unmatched"  # a path no URL pattern resolves (404 before any view)


class MetricsMiddleware:
    """Counts and times every request, and the queries it runs (connection.execute_wrapper)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        database = _DatabaseUse()
        started = time.perf_counter()
        with connection.execute_wrapper(database):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match and match.view_name else UNMATCHED
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(elapsed)
        QUERIES.labels(route).observe(database.queries)
        DB_TIME.labels(route).observe(database.seconds)
        return response


class _DatabaseUse:
    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - started


class ScrapeTimeCollector(Collector):
    """Figures read when Prometheus asks: the task queue's depth and the apps' plugins."""

    def collect(self) -> Iterator[Metric]:
        # A figure that cannot be read (the database or Redis down) is left out and logged: the
        # scrape still answers with the rest, which is when an operator needs it most.
        depth = GaugeMetricFamily(
            "celery_queue_length", "Tasks waiting in the broker, by queue.", labels=["queue"]
        )
        try:
            for queue, length in queue_lengths().items():
                depth.add_metric([queue], length)
        except Exception:
            logger.warning("metrics: the task queue's length cannot be read", exc_info=True)
        yield depth
        for plugin in plugins("metrics"):
            try:
                figures = list(plugin())
            except Exception:
                logger.warning("metrics: %s failed", plugin.__qualname__, exc_info=True)
                continue
            for name, documentation, value in figures:
                yield GaugeMetricFamily(name, documentation, value=value)


def queue_lengths() -> dict[str, int]:
    """LLEN of the task queue in Redis; nothing when tasks run in-process (no broker to ask)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith(
        ("redis://", "rediss://")
    ):
        return {}
    import redis

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        return {queue: int(client.llen(queue))}
    finally:
        client.close()


def registry() -> CollectorRegistry:
    """This process's counts, or every gunicorn worker's in multiprocess mode, and the scrape-time figures."""
    found = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(found)
    else:
        found.register(_Process())
    found.register(ScrapeTimeCollector())
    return found


class _Process(Collector):
    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def _authorized(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request):
    if not _authorized(request):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
