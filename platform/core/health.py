"""`/healthz` and `/readyz` for load balancers and container healthchecks, on every host.

Both are answered by `HealthMiddleware`, which sits before the tenant middleware
(`tenants.middleware.CachedTenantMiddleware`) rather than in the two URLconfs:

- the tenant middleware resolves the host to a town before any URLconf is chosen, through the
  cache and the database. A probe must not depend on either: `/healthz` has to answer while
  PostgreSQL hangs or Redis is gone, and `/readyz` has to report them as down, not fail with them.
- a load balancer probes by IP address or by whatever host it was given. The middleware never
  reads the Host header (`request.get_host()` would refuse a host outside ALLOWED_HOSTS), so the
  public site, every town host and an unknown host or bare IP all get the same answer. The
  answer holds nothing about any town: a status word and latencies, no hostnames, no errors.
- it also sits before SecurityMiddleware: a probe over plain HTTP inside the cluster gets its
  answer instead of the redirect to HTTPS.

`/healthz` says only that this process serves requests (liveness: restart it if not).
`/readyz` checks the database, the cache and the Celery broker (readiness: send it traffic
only if all are ok), each in its own thread with its own deadline
(HEALTH_CHECK_TIMEOUT_SECONDS), so a hung dependency costs at most that long and the checks
run side by side. It opens its own short-lived connections with short timeouts instead of
using the request's database connection, whose queries have no timeout.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

HEALTH_PATHS = ("/healthz", "/healthz/")
READY_PATHS = ("/readyz", "/readyz/")

Check = Callable[[], None]


def check_database(alias: str = "default") -> Check:
    """A check that opens a fresh connection to database `alias` and runs `SELECT 1`."""
    from django.db import connections

    # Read on the calling thread: a new thread would build its own connection wrapper.
    wrapper = connections[alias]
    params = wrapper.get_connection_params()
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    # libpq rounds connect_timeout up to whole seconds and treats 1 as 2; the thread's deadline
    # is what bounds the answer, this only keeps an abandoned thread from hanging forever.
    params["connect_timeout"] = max(2, int(timeout + 0.999))
    database = wrapper.Database  # type: ignore[attr-defined]  # the driver module (psycopg), not in the stubs

    def run() -> None:
        conn = database.connect(**params)
        try:
            with conn.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(timeout * 1000)])
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            conn.close()

    return run


def check_cache(alias: str = "default") -> Check:
    """A check that writes and reads back a key in cache `alias`."""

    def run() -> None:
        from django.core.cache import caches

        # A fresh thread gets its own cache client (caches are per thread), dropped when it ends.
        cache = caches[alias]
        try:
            key = f"health:{uuid.uuid4().hex}"
            cache.set(key, "1", timeout=10)
            if cache.get(key) != "1":
                raise RuntimeError("cache did not return what was written")
            cache.delete(key)
        finally:
            cache.close()

    return run


def check_broker() -> Check:
    """A check that connects to the Celery broker (CELERY_BROKER_URL)."""
    from kombu import Connection

    url: str = settings.CELERY_BROKER_URL  # REDIS_URL unless CELERY_BROKER_URL names a broker of its own
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS

    def run() -> None:
        options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            # Redis: opening the channel pings the server. One attempt, no retries.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)

    return run


def run_checks(checks: dict[str, Check], timeout: float) -> dict[str, dict[str, Any]]:
    """Run every check in its own thread; each is "ok", or "down" on an error or past `timeout`."""
    outcomes: dict[str, tuple[str, float]] = {}
    started = time.monotonic()

    def runner(name: str, check: Check) -> None:
        begin = time.monotonic()
        try:
            check()
        except Exception:  # any failure means "down"; the reason may name hosts, so it stays here
            outcomes[name] = ("down", time.monotonic() - begin)
        else:
            outcomes[name] = ("ok", time.monotonic() - begin)

    # Daemon threads: a check stuck past its deadline never holds the process open at exit.
    threads = {
        name: threading.Thread(target=runner, args=(name, check), name=f"readyz-{name}", daemon=True)
        for name, check in checks.items()
    }
    for thread in threads.values():
        thread.start()
    deadline = started + timeout
    for thread in threads.values():
        thread.join(max(0.0, deadline - time.monotonic()))
    result: dict[str, dict[str, Any]] = {}
    for name in checks:
        status, seconds = outcomes.get(name, ("down", time.monotonic() - started))
        result[name] = {"status": status, "latency_ms": round(seconds * 1000, 1)}
    return result


def readiness_checks() -> dict[str, Check]:
    """The dependencies a web process needs to serve a town: database, cache, broker."""
    return {"database": check_database(), "cache": check_cache(), "broker": check_broker()}


def _json(payload: dict[str, Any], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), status=status, content_type="application/json")
    # A cached "ok" would hide an outage from the next probe.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers. Touches no database, cache or broker."""
    return _json({"status": "ok"}, 200)


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when database, cache and broker all answer in time, 503 otherwise."""
    checks = run_checks(readiness_checks(), settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    ready = all(check["status"] == "ok" for check in checks.values())
    return _json({"status": "ok" if ready else "down", "checks": checks}, 200 if ready else 503)


class HealthMiddleware:
    """Answers /healthz and /readyz before the host is resolved to a town (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path in HEALTH_PATHS:
            view = healthz
        elif request.path in READY_PATHS:
            view = readyz
        else:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"status": "method not allowed"}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request)
