"""/healthz and /readyz answer on every host, and every request carries an id into logs and tasks.

The readiness tests start their own Redis servers (a unix socket in a temporary folder) and stop
them: never the machine's shared Redis nor the suite's embedded one (only the real-worker test
uses the suite's worker and broker, tests/fixtures_celery.py). The database
"goes down" by pointing the readiness check at a closed or silent local port; the shared
PostgreSQL is never touched.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
import redis
from celery import shared_task
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from core import request_id
from core.request_id import RequestIdFilter
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient, host_of

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary")

UNKNOWN_HOSTS = ("unbekannt.example", "10.0.0.7:8000")
# What the worker saw, by task id (the test's worker is a thread of this process).
SEEN_BY_TASKS: dict[str, str | None] = {}


@shared_task(name="tests.health.remember_request_id", bind=True)
def remember_request_id(self) -> str | None:
    SEEN_BY_TASKS[self.request.id] = request_id.current_request_id()
    return SEEN_BY_TASKS[self.request.id]


class RedisServer:
    """A throw-away redis-server on a unix socket, no persistence."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.socket = str(folder / "redis.sock")
        self.process = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", self.socket, "--save", "", "--appendonly", "no",
             "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while not Path(self.socket).exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                pytest.fail("the test's redis-server did not start")
            time.sleep(0.01)

    def settings(self) -> dict:
        return settings_for(cache_socket=self.socket, broker_socket=self.socket)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)


def settings_for(*, cache_socket: str, broker_socket: str) -> dict:
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"unix://{cache_socket}"}}
    return {"CACHES": caches, "CELERY_BROKER_URL": f"redis+socket://{broker_socket}"}


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "a")
    yield server
    server.stop()


@pytest.fixture
def second_redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "b")
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and then never says a word, like a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def database_at(port: int):
    """The readiness check (and only it, it reads these per call) pointed at 127.0.0.1:`port`."""
    return mock.patch.dict(connection.settings_dict, {"HOST": "127.0.0.1", "PORT": port})


def readyz(host: str = settings.BASE_DOMAIN):
    response = Client(HTTP_HOST=host).get("/readyz")
    return response, json.loads(response.content)


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_answers_on_the_public_site_a_town_and_an_unknown_host_without_a_query(
    town_a, django_assert_num_queries
):
    for host in (settings.BASE_DOMAIN, host_of(town_a), *UNKNOWN_HOSTS):
        with django_assert_num_queries(0):
            response = TownClient(host).get("/healthz")
        assert response.status_code == 200, host
        assert json.loads(response.content) == {"status": "ok"}
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Type"] == "application/json"


def test_healthz_needs_neither_database_nor_cache(tmp_path):
    # No django_db mark: any database access would fail this test. The cache points at a socket
    # where no server listens.
    dead = settings_for(cache_socket=str(tmp_path / "none.sock"), broker_socket=str(tmp_path / "none.sock"))
    with override_settings(**dead):
        response = Client(HTTP_HOST="altdorf.localhost").get("/healthz")
    assert response.status_code == 200


def test_healthz_refuses_writes(town_a):
    response = TownClient(host_of(town_a)).post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- /readyz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_is_200_with_every_dependency_up_on_every_host(redis_server, town_a):
    with override_settings(**redis_server.settings()):
        for host in (settings.BASE_DOMAIN, host_of(town_a), *UNKNOWN_HOSTS):
            response, body = readyz(host)
            assert response.status_code == 200, (host, body)
            assert body["status"] == "ok"
            assert set(body["checks"]) == {"database", "cache", "broker"}
            for check in body["checks"].values():
                assert check["status"] == "ok"
                assert isinstance(check["latency_ms"], float)
            assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_goes_down(redis_server, second_redis_server):
    with override_settings(**settings_for(cache_socket=redis_server.socket, broker_socket=second_redis_server.socket)):
        assert readyz()[0].status_code == 200
        redis_server.stop()
        response, body = readyz()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["broker"]["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    # The reason (socket paths, host names) stays in the server.
    assert redis_server.socket not in response.content.decode()
    assert "sock" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_goes_down(redis_server, second_redis_server):
    with override_settings(**settings_for(cache_socket=redis_server.socket, broker_socket=second_redis_server.socket)):
        assert readyz()[0].status_code == 200
        second_redis_server.stop()
        response, body = readyz()
    assert response.status_code == 503
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["cache"]["status"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_refuses_connections(redis_server):
    with override_settings(**redis_server.settings()), database_at(closed_port()):
        response, body = readyz()
    assert response.status_code == 503
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_gives_up_on_a_hanging_database_and_broker_within_its_timeout(redis_server, silent_port):
    hung = {**redis_server.settings(), "CELERY_BROKER_URL": f"redis://127.0.0.1:{silent_port}/0"}
    with override_settings(**hung, HEALTH_CHECK_TIMEOUT_SECONDS=0.5), database_at(silent_port):
        started = time.monotonic()
        response, body = readyz()
        took = time.monotonic() - started
    assert response.status_code == 503
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["cache"]["status"] == "ok"
    # The checks run side by side: the answer comes after one timeout, not the sum of them.
    assert took < 1.5


@pytest.mark.django_db
def test_healthz_still_answers_while_the_database_hangs(silent_port, django_assert_num_queries):
    with database_at(silent_port), django_assert_num_queries(0):
        started = time.monotonic()
        response = Client(HTTP_HOST="altdorf.localhost").get("/healthz")
    assert response.status_code == 200
    assert time.monotonic() - started < 0.5


# --- request ids ------------------------------------------------------------------------------


def test_an_incoming_request_id_is_echoed(client_a):
    response = client_a.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


def test_a_request_without_an_id_gets_a_new_one_each_time(client_a):
    first = client_a.get("/")["X-Request-ID"]
    second = client_a.get("/")["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


@pytest.mark.parametrize("bad", ["zwei worte", "<script>", "a" * 65, "id\r\nSet-Cookie: x=1", "ä-umlaut"])
def test_an_unsafe_incoming_request_id_is_replaced(client_a, bad):
    response = client_a.get("/", HTTP_X_REQUEST_ID=bad)
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_of_a_request_carry_its_id(client_a, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_a.get("/gibt-es-nicht/", HTTP_X_REQUEST_ID="spur-42")
    assert response.status_code == 404
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records and all(record.request_id == "spur-42" for record in records)
    # Outside a request the field is still there, so the log format never breaks.
    logging.getLogger("django.request").warning("nach der Anfrage")
    assert caplog.records[-1].request_id == "-"


def test_the_console_log_line_shows_the_request_id():
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)]
    assert handlers, "the console handler of settings.LOGGING must add the request id"
    record = logging.makeLogRecord({"name": "dorfkern", "levelname": "INFO", "msg": "Seite gezeigt"})
    token = request_id._current.set("spur-7")
    try:
        assert handlers[0].filter(record)
    finally:
        request_id._current.reset(token)
    assert "spur-7" in handlers[0].format(record)


def test_a_task_enqueued_under_a_request_id_carries_it_in_its_message_headers(redis_server):
    from celery import current_app

    app = current_app._get_current_object()
    token = request_id._current.set("spur-99")
    try:
        with app.connection_for_write(f"redis+socket://{redis_server.socket}") as broker:
            app.send_task("tests.health.remember_request_id", connection=broker)
    finally:
        request_id._current.reset(token)
    raw = redis.Redis(unix_socket_path=redis_server.socket).lpop("celery")
    message = json.loads(raw)
    assert message["headers"]["x_request_id"] == "spur-99"
    # The worker side: the task runs with the id from its headers, and forgets it afterwards.
    result = remember_request_id.apply(headers={"x_request_id": "spur-99"})
    assert result.get() == "spur-99"
    assert request_id.current_request_id() is None


def test_healthz_answers_over_plain_http_where_production_redirects_to_https(client_a):
    # A probe inside the cluster speaks HTTP to the container; it must not get the HTTPS redirect.
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client_a.get("/healthz").status_code == 200
        assert client_a.get("/").status_code == 301


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_a_task_under_the_id_of_the_request_that_enqueued_it(celery_worker):
    token = request_id._current.set("spur-123")
    try:
        queued = remember_request_id.delay()
    finally:
        request_id._current.reset(token)
    untagged = remember_request_id.delay()  # enqueued outside any request
    wait_for(lambda: queued.id in SEEN_BY_TASKS and untagged.id in SEEN_BY_TASKS, timeout=20)
    assert SEEN_BY_TASKS[queued.id] == "spur-123"
    assert SEEN_BY_TASKS[untagged.id] is None


def test_a_workers_log_lines_show_the_request_id_of_the_task():
    import io

    from celery.signals import after_setup_task_logger

    # What a worker does at start: its own handler, formatted with the worker's task log format.
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter(settings.CELERY_WORKER_TASK_LOG_FORMAT.replace(
        "%(task_name)s[%(task_id)s]", "aufgabe")))
    logger = logging.getLogger("tests.health.worker")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        after_setup_task_logger.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None,
                                     format=settings.CELERY_WORKER_TASK_LOG_FORMAT, colorize=False)
        token = request_id._current.set("spur-55")
        try:
            logger.warning("Mitteilung verschickt")
        finally:
            request_id._current.reset(token)
    finally:
        logger.removeHandler(handler)
    assert "[spur-55] aufgabe: Mitteilung verschickt" in out.getvalue()
