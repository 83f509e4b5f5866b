"""Nothing the platform waits on hangs a worker forever (issue 18 §4/§5).

A hanging database, a silent mail relay or a stuck task each end after a bounded time, and the
Celery limits stay below the broker's visibility timeout, so a killed worker's tasks come back
within about a minute and a half and a slow task is never handed to a second worker while it runs.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

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
