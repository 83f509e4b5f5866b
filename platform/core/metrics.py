"""Prometheus metrics and the access log: what each request and task did, and how long it took.

Built on prometheus-client directly rather than django-prometheus: django-prometheus labels
requests by view only in some of its metrics, wants its own database and cache backends (ours are
django-tenants' and core.cache_backends') and exports dozens of series nobody here reads. What is
counted, all named `dorfkern_*`:

- `http_requests_total{view, method, status}` and `http_request_duration_seconds{view}`: by the
  URL pattern's name ("town:welcome", "account_login"), never the raw path: `/news/123/` and
  `/news/124/` are one series, and a scanner trying a million paths adds none ("<unresolved>").
- `town_requests_total{town}`: requests per town, the town's slug as a label, for at most
  METRICS_TOWN_LABELS_MAX towns per process; the rest are counted as "_other". Each label value is
  one series kept forever by Prometheus; towns x views x statuses would be millions of series at a
  thousand towns, one counter per town is a thousand. The cap keeps a platform of 10,000 towns from
  blowing up the monitoring; raise it where Prometheus has room.
- `celery_tasks_total{task, outcome}` (success, failure, retry) and `celery_task_duration_seconds{task}`,
  from Celery's signals, in whichever process runs the task.
- `celery_queue_length{queue}` (LLEN of `celery` and `urgent` in the broker, priorities included)
  and `outbox_pending` (core.outbox rows not yet handed to the broker): read at scrape time with a
  short timeout; `metrics_source_up{source}` is 0 when one of them couldn't be read in time.

gunicorn runs several processes and Celery's prefork pool forks children: each keeps its own
counters. With PROMETHEUS_MULTIPROC_DIR set (before the process starts), prometheus-client
writes them to files in that folder and a scrape sums the files of every process; the folder must
be empty when the process group starts (config.gunicorn_conf and the worker's start wipe it) and
never shared between containers. Without it (development, tests) each process counts on its own.

`/metrics` is answered by MetricsMiddleware before the host is resolved to a town (like
/healthz), on any host, but only to a caller that sends `Authorization: Bearer <METRICS_BEARER_TOKEN>`
or connects straight from an address in METRICS_ALLOWED_NETWORKS. A request that came through the
reverse proxy (it carries X-Forwarded-For) is never let in by its address: behind the proxy every
visitor shares the proxy's address. A wrong token gets 403; anyone else is passed on as for any
other address, so on a town's host /metrics doesn't exist for the public: they get the town's own
404 page. A Celery worker serves the same on METRICS_WORKER_PORT (its task counters), with the
same check.

The middleware also writes the access log (logger `dorfkern.access`): method, host, path (without
the query string, which may carry tokens), status and duration, with the request id, town and
user id every line carries (core.request_id, core.log_context).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import REGISTRY, Collector

from core.health import HEALTH_PATHS, READY_PATHS
from core.log_context import log_request_set, request_user_id

access_log = logging.getLogger("dorfkern.access")
logger = logging.getLogger("core.metrics")

METRICS_PATHS = ("/metrics", "/metrics/")
UNRESOLVED = "<unresolved>"
OTHER_TOWNS = "_other"
NO_TOWN = "_none"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("dorfkern_http_requests", "HTTP requests by URL name, method and status.",
                   ["view", "method", "status"])
LATENCY = Histogram("dorfkern_http_request_duration_seconds", "Time to answer a request, by URL name.", ["view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
TOWN_REQUESTS = Counter("dorfkern_town_requests", "HTTP requests per town (capped, see METRICS_TOWN_LABELS_MAX).",
                        ["town"])
TASKS = Counter("dorfkern_celery_tasks", "Celery tasks by name and outcome (success, failure, retry).",
                ["task", "outcome"])
TASK_DURATION = Histogram("dorfkern_celery_task_duration_seconds", "Run time of Celery tasks.", ["task"],
                          buckets=(0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 75.0))

_towns_seen: set[str] = set()
_towns_lock = threading.Lock()


def town_label(town: str | None) -> str:
    """`town` while fewer than METRICS_TOWN_LABELS_MAX towns were seen by this process, else "_other"."""
    if not town:
        return NO_TOWN
    if town in _towns_seen:
        return town
    with _towns_lock:
        if len(_towns_seen) < settings.METRICS_TOWN_LABELS_MAX:
            _towns_seen.add(town)
            return town
    return OTHER_TOWNS


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    # A page served from the visitor page cache (core.visitor_pages) never reached the URL resolver.
    cached_view = getattr(request, "cached_view_name", None)
    if cached_view:
        return str(cached_view)
    if request.path in HEALTH_PATHS:
        return "healthz"
    if request.path in READY_PATHS:
        return "readyz"
    if request.path in METRICS_PATHS:
        return "metrics"
    return UNRESOLVED


# --- who may read /metrics -----------------------------------------------------------------------


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net.strip(), strict=False) for net in settings.METRICS_ALLOWED_NETWORKS if net.strip()]


def metrics_access(meta: Mapping[str, Any]) -> int:
    """200 when the caller may read the metrics, 403 for a wrong token, 404 for everyone else.

    `meta` is a request's META or a WSGI environ (the same keys).
    """
    header = str(meta.get("HTTP_AUTHORIZATION", ""))
    token: str = settings.METRICS_BEARER_TOKEN
    if header.lower().startswith("bearer "):
        given = header[7:].strip()
        return 200 if token and hmac.compare_digest(given.encode(), token.encode()) else 403
    if meta.get("HTTP_X_FORWARDED_FOR"):
        return 404  # came through the proxy: its address says nothing about the caller
    try:
        address = ipaddress.ip_address(str(meta.get("REMOTE_ADDR", "")))
    except ValueError:
        return 404
    return 200 if any(address in network for network in _allowed_networks()) else 404


# --- what a scrape reads live -----------------------------------------------------------------


def _broker_client() -> Any:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    url: str = settings.CELERY_BROKER_URL
    timeout = settings.METRICS_SCRAPE_TIMEOUT_SECONDS
    # No retries: redis-py would try a dead broker three more times, each costing the timeout.
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "retry": Retry(NoBackoff(), 0)}
    if url.startswith("redis+socket://"):
        return redis.Redis(unix_socket_path=url.removeprefix("redis+socket://"), **options)
    return redis.Redis.from_url(url, **options)


def queue_lengths(queues: Iterable[str] = ("urgent", "celery")) -> dict[str, int]:
    """Messages waiting in each Celery queue of the Redis broker (its priority sub-queues included)."""
    client = _broker_client()
    try:
        # kombu's Redis transport keeps priorities 3, 6 and 9 in lists named "<queue>\x06\x16<n>".
        names = {queue: [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))] for queue in queues}
        pipe = client.pipeline(transaction=False)
        for keys in names.values():
            for key in keys:
                pipe.llen(key)
        lengths = iter(pipe.execute())
        return {queue: sum(next(lengths) for _key in keys) for queue, keys in names.items()}
    finally:
        client.close()


def _outbox_count() -> int:
    from django.db import connection, connections, transaction
    from django_tenants.utils import schema_context

    from core.outbox import outbox_pending_count

    milliseconds = int(settings.METRICS_SCRAPE_TIMEOUT_SECONDS * 1000)
    try:
        with schema_context("public"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [max(1, milliseconds)])
            return outbox_pending_count()
    finally:
        connections.close_all()  # this thread's own connection; the thread ends now


def outbox_pending() -> int:
    """core.outbox rows not yet handed to the broker, or TimeoutError past METRICS_SCRAPE_TIMEOUT_SECONDS.

    Counted on a thread of its own with its own connection: a hanging database (connecting can take
    DATABASE_CONNECT_TIMEOUT_SECONDS) must not hold the scrape, and the request's connection stays
    untouched.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["count"] = _outbox_count()
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, name="metrics-outbox", daemon=True)
    thread.start()
    thread.join(settings.METRICS_SCRAPE_TIMEOUT_SECONDS)
    if "count" in outcome:
        return int(outcome["count"])
    raise outcome.get("error") or TimeoutError("the database did not answer in time")


class LiveCollector(Collector):
    """Queue lengths and the outbox backlog, read when Prometheus scrapes (not counted in-process)."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("dorfkern_metrics_source_up", "1 when the source could be read for this scrape.",
                               labels=["source"])
        queues = GaugeMetricFamily("dorfkern_celery_queue_length", "Messages waiting in a Celery queue.",
                                   labels=["queue"])
        try:
            for queue, length in queue_lengths().items():
                queues.add_metric([queue], length)
            up.add_metric(["broker"], 1)
        except Exception as error:  # a dead or slow broker must not fail the whole scrape
            # One line, no traceback: Prometheus scrapes every 15 s; /readyz and the alert say the rest.
            logger.warning("Metrics: the broker's queue lengths could not be read: %s", error)
            up.add_metric(["broker"], 0)
        yield queues
        outbox = GaugeMetricFamily("dorfkern_outbox_pending", "Outbox rows not yet handed to the broker.")
        try:
            outbox.add_metric([], outbox_pending())
            up.add_metric(["database"], 1)
        except Exception as error:
            logger.warning("Metrics: the outbox backlog could not be read: %s", error)
            up.add_metric(["database"], 0)
        yield outbox
        yield up


def scrape_registry(*, live: bool) -> CollectorRegistry:
    """What one scrape shows: every process's counters (multiprocess mode) or this one's, plus live values."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REGISTRY)
    if live:
        registry.register(LiveCollector())
    return registry


def metrics_response(*, live: bool = True) -> tuple[bytes, str]:
    return generate_latest(scrape_registry(live=live)), CONTENT_TYPE_LATEST


def _refusal(status: int) -> HttpResponse:
    # For the operator's tools (a scraper with a wrong token), not for people.
    body = "Forbidden" if status == 403 else "Not Found"
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def metrics_view(request: HttpRequest) -> HttpResponse:
    """The metrics, for a caller metrics_access() admits (the middleware checks first)."""
    body, content_type = metrics_response()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


# --- the middleware: counts, times, logs -----------------------------------------------------


def _town_of(request: HttpRequest) -> str | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return None
    return str(getattr(tenant, "slug", None) or tenant.schema_name)


class MetricsMiddleware:
    """Answers /metrics (before the town is resolved); counts, times and logs every other request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.monotonic()
        log_request_set(request)
        access = metrics_access(request.META) if request.path in METRICS_PATHS else 404
        if access == 200:
            response: HttpResponseBase = metrics_view(request)
        elif access == 403:
            response = _refusal(403)
        else:
            # Everyone else gets what any unknown address gets on that host: the town's own 404 page.
            response = self.get_response(request)
        seconds = time.monotonic() - started
        self._record(request, response, seconds)
        return response

    def _record(self, request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
        view = view_label(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(seconds)
        town = _town_of(request)
        TOWN_REQUESTS.labels(town_label(town)).inc()
        # Probes every few seconds would drown the access log; they stay in the metrics.
        level = logging.DEBUG if view in ("healthz", "readyz", "metrics") else logging.INFO
        if not access_log.isEnabledFor(level):
            return
        host = str(request.META.get("HTTP_HOST", ""))[:255]
        duration_ms = round(seconds * 1000, 1)
        access_log.log(
            level, "%s %s%s %s %.1f ms", request.method, host, request.path, response.status_code, duration_ms,
            extra={"method": request.method, "http_host": host, "path": request.path,
                   "status": response.status_code, "duration_ms": duration_ms, "view": view,
                   "user_id": request_user_id(request)},
        )


def _request_finished(**kwargs: Any) -> None:
    log_request_set(None)


# --- Celery ---------------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", None) or sender or "unknown")


def _prerun(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _task_started[task_id] = time.monotonic()


def _postrun(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    started = _task_started.pop(task_id or "", None)
    if started is not None:
        TASK_DURATION.labels(_task_name(task)).observe(time.monotonic() - started)


def _success(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender), "success").inc()


def _failure(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender), "failure").inc()


def _retry(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender), "retry").inc()


def multiproc_dir_wipe() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR (a process group's start): counters of a former run must not add up."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.unlink(os.path.join(folder, name))


def _worker_init(**kwargs: Any) -> None:
    # The worker's main process, before the pool forks its children.
    multiproc_dir_wipe()


def _worker_ready(**kwargs: Any) -> None:
    port = settings.METRICS_WORKER_PORT
    if port:
        worker_metrics_serve(settings.METRICS_WORKER_ADDRESS, port)


def worker_metrics_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A WSGI app for a worker: its task counters at /metrics, to the callers /metrics admits."""
    status = metrics_access(environ) if environ.get("PATH_INFO") in METRICS_PATHS else 404
    if status != 200:
        start_response(f"{status} {'Forbidden' if status == 403 else 'Not Found'}",
                       [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Forbidden" if status == 403 else b"Not Found"]
    body, content_type = metrics_response(live=False)
    start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
    return [body]


def worker_metrics_serve(address: str, port: int) -> Any:
    """Serve worker_metrics_app in a daemon thread; returns the server (tests shut it down)."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            logger.debug(format, *args)

    server = make_server(address, port, worker_metrics_app, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    logger.info("Worker metrics on %s:%s/metrics", address, server.server_port)
    return server


def connect_signals() -> None:
    """Task outcomes and run times from Celery's signals; the log context ends with the request."""
    from celery import signals
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, weak=False, dispatch_uid="core.metrics.finished")
    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="core.metrics.prerun")
    signals.task_postrun.connect(_postrun, weak=False, dispatch_uid="core.metrics.postrun")
    signals.task_success.connect(_success, weak=False, dispatch_uid="core.metrics.success")
    signals.task_failure.connect(_failure, weak=False, dispatch_uid="core.metrics.failure")
    signals.task_retry.connect(_retry, weak=False, dispatch_uid="core.metrics.retry")
    signals.worker_init.connect(_worker_init, weak=False, dispatch_uid="core.metrics.worker_init")
    signals.worker_ready.connect(_worker_ready, weak=False, dispatch_uid="core.metrics.worker_ready")
