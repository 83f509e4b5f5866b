"""Provisioning survives a broker outage and a killed worker (issue 18 §2, §3), with real processes.

A Redis server of this module's own (never the machine's, never the suite's) is the broker; the
worker is a real `celery -A config worker -B` process (embedded beat runs the sweepers every second)
on the suite's test database. The test process plays the web server: its Celery app is pointed at
the private broker while a request confirms a signup.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection
from django_tenants.utils import schema_exists

from config import embedded
from core.models import OutboxMessage
from tenants.models import Municipality, SignupStatus, TownSignup
from tenants.selectors import forget_tenant_lookup
from tenants.tokens import signup_confirm_token_make
from tests.core.test_degraded_cache import PrivateRedis
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient
from tests.tenants.factories import TownSignupFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SLUG = "neudorf"
HOST = f"{SLUG}.localhost"


@pytest.fixture(scope="module")
def broker(tmp_path_factory) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path_factory.mktemp("broker"))
    yield server
    server.stop()


@contextmanager
def web_publishes_to(server: PrivateRedis) -> Iterator[None]:
    """Point this process's Celery app (the "web server") at `server` and back afterwards."""
    app = current_app
    old = app.conf.broker_url

    def switch(url: str) -> None:
        # The app builds its connection and producer pools from broker_url on first use; forget them
        # (kombu keeps each URL's pool, so switching back finds the suite's pool as it was).
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    switch(f"redis+socket://{server.socket}")
    try:
        yield
    finally:
        switch(old)


class Worker:
    """`celery worker -B` in its own process group, logging to a file."""

    def __init__(self, folder: Path, server: PrivateRedis, name: str) -> None:
        self.log = folder / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_SKIP_CHECKS": "1",
            "REDIS_URL": server.socket,  # cache and broker: the private server
            "DATABASE_URL": embedded.database_url_with_name(
                os.environ["DATABASE_URL"], connection.settings_dict["NAME"]
            ),
            # The sweepers every second, a lost provisioning noticed after 2 s (production: 30 s, 120 s).
            "OUTBOX_SWEEP_SECONDS": "1",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "PROVISIONING_STALE_SECONDS": "2",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        }
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--pool", "solo",
                 "--schedule", str(folder / f"{name}-beat"), "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def wait_ready(self) -> None:
        wait_for(lambda: "ready." in self.log.read_text(errors="replace"), timeout=60, interval=0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def workers() -> Iterator[list[Worker]]:
    """Worker processes of this module (the second test kills the first test's worker: one start less)."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def _running(workers: list[Worker]) -> Worker | None:
    return next((w for w in reversed(workers) if w.process.poll() is None), None)


def _signup() -> TownSignup:
    return TownSignupFactory(slug=SLUG, admin_email="nora@neudorf.example")


def _confirm(signup: TownSignup) -> float:
    """The person clicks the confirmation button; returns how long the request took."""
    token = signup_confirm_token_make(signup_id=str(signup.pk), email=signup.admin_email)
    started = time.monotonic()
    response = TownClient("localhost").post(f"/registrieren/{signup.pk}/bestaetigen/{token}/")
    assert response.status_code == 302 and response["Location"] == f"/registrieren/{signup.pk}/"
    return time.monotonic() - started


def _status(signup: TownSignup) -> TownSignup:
    connection.set_schema_to_public()
    signup.refresh_from_db()
    return signup


def _table_count(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", [schema])
        return cursor.fetchone()[0]


def test_a_signup_confirmed_while_the_broker_is_down_is_provisioned_once_it_is_back(
    broker, workers, tmp_path_factory, town_a, drop_towns
):
    drop_towns.append(SLUG)
    signup = _signup()
    broker.start()
    worker = Worker(tmp_path_factory.mktemp("workers"), broker, "first")
    workers.append(worker)
    worker.wait_ready()

    # given: Redis goes away (and comes back empty: it kept nothing) while the person confirms
    broker.stop()
    with web_publishes_to(broker):
        took = _confirm(signup)

    # then: the request answers at once, the signup waits in line, its task is kept in the outbox
    assert took < 5
    assert _status(signup).status == SignupStatus.QUEUED
    row = OutboxMessage.objects.get(task_name="tenants.tasks.town_provision")
    assert row.sent_at is None and row.attempts == 1 and row.last_error

    # when: Redis is back; the worker reconnects, beat sweeps the outbox; nobody clicks anything
    broker.start()
    back = time.monotonic()
    wait_for(lambda: _status(signup).status in (SignupStatus.READY, SignupStatus.FAILED), timeout=90, interval=0.2)
    print(f"\nbroker outage: confirmation answered in {took:.2f} s; "
          f"town ready {time.monotonic() - back:.1f} s after Redis returned")

    # then: provisioned exactly once, and the town answers
    assert signup.status == SignupStatus.READY, signup.error
    assert signup.attempts == 1
    town = Municipality.objects.get(slug=SLUG)
    assert town.is_active and signup.tenant_id == town.pk
    assert _table_count(town.schema_name) == _table_count(town_a.schema_name)
    assert TownClient(HOST).get("/accounts/login/").status_code == 200
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts >= 2


def test_a_worker_killed_mid_provisioning_leaves_no_routable_town_and_the_sweeper_finishes_it(
    broker, workers, tmp_path_factory, town_a, drop_towns
):
    drop_towns.append(SLUG)
    folder = tmp_path_factory.mktemp("workers")
    if broker.process is None:
        broker.start()
    first = _running(workers)
    if first is None:  # this test alone
        first = Worker(folder, broker, "first")
        workers.append(first)
    first.wait_ready()
    signup = _signup()

    # given: the worker is provisioning the town (its row is reserved, its schema being copied) ...
    with web_publishes_to(broker):
        _confirm(signup)
    wait_for(lambda: Municipality.objects.filter(slug=SLUG).exists(), timeout=60, interval=0.01)
    # ... when it is killed (SIGKILL: no clean-up runs)
    first.kill()

    # then: a half-made town exists, but it is not routed and no periodic work reaches it
    assert _status(signup).status == SignupStatus.PROVISIONING
    half_made = Municipality.objects.get(slug=SLUG)
    assert not half_made.is_active
    half_tables = _table_count(half_made.schema_name) if schema_exists(half_made.schema_name) else 0
    assert TownClient(HOST).get("/").status_code == 404
    assert not Municipality.objects.filter(is_active=True, slug=SLUG).exists()  # core.fan_out's filter

    # when: a new worker (with beat) comes up
    second = Worker(folder, broker, "second")
    workers.append(second)
    started = time.monotonic()
    wait_for(lambda: _status(signup).status in (SignupStatus.READY, SignupStatus.FAILED), timeout=90, interval=0.2)
    print(f"\nkilled worker: half-made schema had {half_tables} of {_table_count(town_a.schema_name)} tables; "
          f"town ready {time.monotonic() - started:.1f} s after a new worker was started")

    # then: the sweeper removed the half-made town and provisioned it again, completely
    assert signup.status == SignupStatus.READY, signup.error
    assert signup.attempts == 2
    town = Municipality.objects.get(slug=SLUG)
    assert town.is_active and town.pk != half_made.pk
    assert _table_count(town.schema_name) == _table_count(town_a.schema_name)
    # The worker's cache is the private Redis; in production web and worker share one, and the
    # activation's save() clears the host lookup there. Here this process's cache must forget it.
    forget_tenant_lookup(HOST)
    assert TownClient(HOST).get("/accounts/login/").status_code == 200
