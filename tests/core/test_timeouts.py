"""Nothing the platform waits on hangs a worker forever (issue 18 §4/§5).

A hanging database, a silent mail relay or a stuck task each end after a bounded time, and the
Celery limits stay below the broker's visibility timeout, so a killed worker's tasks come back
within about a minute and a half and a slow task is never handed to a second worker while it runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import OperationalError, connection, transaction


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections (the kernel completes the handshake) and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.mark.django_db
def test_every_database_connection_gets_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]

    assert shown == f"{settings.DATABASE_STATEMENT_TIMEOUT_SECONDS}s"


@pytest.mark.django_db
def test_a_statement_longer_than_the_timeout_is_cancelled_instead_of_hanging():
    started = time.monotonic()

    with pytest.raises(OperationalError, match="statement timeout"):
        with transaction.atomic(), connection.cursor() as cursor:
            # The same mechanism as the configured 30 s, lowered for this transaction only.
            cursor.execute("SET LOCAL statement_timeout = '200ms'")
            cursor.execute("SELECT pg_sleep(5)")

    assert time.monotonic() - started < 3


def test_connecting_to_a_database_that_never_answers_gives_up(silent_server):
    import psycopg2

    params = {**connection.get_connection_params(), "host": "127.0.0.1", "port": silent_server}
    assert params["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT_SECONDS
    params["connect_timeout"] = 2  # libpq's smallest
    started = time.monotonic()

    with pytest.raises(psycopg2.OperationalError, match="timeout"):
        psycopg2.connect(**params)

    assert time.monotonic() - started < 6


def test_a_mail_relay_that_never_answers_fails_the_send_after_the_timeout(silent_server, settings):
    assert 0 < settings.EMAIL_TIMEOUT <= 30, "a stuck relay must not hold a web or Celery worker for long"
    settings.EMAIL_TIMEOUT = 1  # lowered so the test is quick
    backend = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=silent_server, fail_silently=False
    )
    message = EmailMessage("Hallo", "Text", "a@example.org", ["b@example.org"], connection=backend)
    started = time.monotonic()

    with pytest.raises((TimeoutError, OSError)):
        message.send()

    assert time.monotonic() - started < 5


def test_every_task_is_killed_before_the_broker_hands_it_to_another_worker():
    from config.celery import app

    app.loader.import_default_modules()
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility <= 120, "a killed worker's tasks must come back within about a minute"
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_acks_late

    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "tenants.tasks.town_provision" in tasks
    for name, task in tasks.items():
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert hard, f"{name} has no hard time limit"
        assert hard < visibility, f"{name} may still run when Redis redelivers it ({hard} s ≥ {visibility} s)"
        assert soft and soft < hard, f"{name} gets no chance to clean up before the hard kill"


@pytest.mark.celery
def test_a_worker_kills_a_task_that_outlasts_the_configured_time_limit(tmp_path):
    # A prefork worker (as in production; the solo pool of tests/fixtures_celery.py has no time
    # limits) with the limits lowered through the same environment variables production reads.
    from config.celery import app
    from tests.celery_time_limit_tasks import sleep_past_the_time_limit
    from tests.fixtures_celery import wait_for

    root = Path(__file__).resolve().parents[2]
    queue = f"time-limit-test-{os.getpid()}"
    env = {
        **os.environ,  # the test run's DATABASE_URL and REDIS_URL (set by the test settings)
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_SKIP_CHECKS": "1",
        "CELERY_TASK_SOFT_TIME_LIMIT": "1",
        "CELERY_TASK_TIME_LIMIT": "3",
        "PYTHONPATH": os.pathsep.join([str(root), str(root / "platform")]),
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
             "--queues", queue, "--include", "tests.celery_time_limit_tasks", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        # Publish only once the worker has bound its queue, or Redis would drop the message.
        wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=90, interval=0.2)
        started = time.monotonic()
        # Celery stamps the sender's limits into the message; explicit None leaves them out, so the
        # worker's own settings (what this test is about) apply.
        app.send_task(
            sleep_past_the_time_limit.name, (str(tmp_path), 30), queue=queue, time_limit=None, soft_time_limit=None
        )

        wait_for(lambda: "Hard time limit (3" in log.read_text(errors="replace"), timeout=30, interval=0.2)
        assert time.monotonic() - started < 15
        assert (tmp_path / "started").exists()
        assert (tmp_path / "soft-limit").exists(), "the soft limit warns the task before the kill"
        assert not (tmp_path / "finished").exists()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
