"""A real Celery worker for tests where a task matters.

Usage::

    @pytest.mark.celery
    @pytest.mark.django_db(transaction=True)
    def test_town_gets_provisioned(celery_worker, public_client):
        ...                                   # code that enqueues with .delay()/apply_async()
        wait_for(lambda: signup_get(pk).status == "ready")

What you get: one in-process worker thread (pool "solo") consuming from the
test Redis broker (settings.CELERY_BROKER_URL) with the project's own app
(config.celery, tenant-schemas-celery included), so tasks travel through the
broker, are deserialised and run in their tenant's schema exactly as in
production. The worker is started once per test session on first use and
stopped at the end of the session; a test only pays for a queue purge.

Why transaction=True: the worker runs in another thread with its own database
connection. It only sees rows the test has committed, and on_commit()
callbacks (which enqueue most tasks) only fire outside a test-wide atomic
block. The fixture requests `transactional_db` itself, so forgetting the
marker still works, but say it for the reader.

Between tests the shared Redis is flushed (tests/conftest.py), which also wipes
kombu's routing table; the fixture declares the queue again before each test so
published messages are routed, and drops stale messages from earlier runs.
Every task closes its database connections when it ends, so the flush at
the end of a transactional test is never blocked by the worker.

`wait_for(predicate, timeout=…)` polls until the predicate is truthy.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest


def wait_for(predicate: Callable[[], Any], *, timeout: float = 60.0, interval: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)


def _close_connections(**kwargs: Any) -> None:
    from django.db import connections

    # Only the worker thread's: a task a test runs in its own thread (apply(), eager) must not close the
    # test's connection, inside its atomic block, for the rest of the test ("connection already closed").
    if threading.current_thread() is threading.main_thread():
        return
    connections.close_all()


def _declare_queues(app) -> None:
    with app.connection_for_write() as conn:
        for queue in app.amqp.queues.values():
            queue.bind(conn.default_channel).declare()


@pytest.fixture(scope="session")
def _celery_session_worker(django_db_setup, django_db_blocker) -> Iterator[Any]:
    """The worker thread itself, shared by every test that asks for `celery_worker`."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from config.celery import app

    # Django system checks would run again in the worker; they ran at test start.
    os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
    task_postrun.connect(_close_connections, weak=False, dispatch_uid="tests-close-db-after-task")
    with django_db_blocker.unblock():
        app.control.purge()
        _declare_queues(app)
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30.0,
    ) as worker:
        yield worker
    task_postrun.disconnect(dispatch_uid="tests-close-db-after-task")


@pytest.fixture
def celery_worker(transactional_db, _celery_session_worker) -> Iterator[Any]:
    """A running Celery worker for this test (see the module docstring)."""
    from config.celery import app

    app.control.purge()
    _declare_queues(app)
    yield _celery_session_worker
    app.control.purge()
