"""News published while the broker is down still reaches its subscribers, once (issue 18 §2), with real processes.

A Redis of this module's own is the broker (started and stopped here, never the suite's); the worker
is a real `celery worker -B` process (embedded beat sweeps the outbox every second) that writes its
mails to files. The test process plays the web server and publishes the article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection, transaction
from django_tenants.utils import schema_context

from config import embedded
from core.models import OutboxMessage
from modules.news import services as news_services
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory, town_admin
from tests.core.test_degraded_cache import PrivateRedis
from tests.fixtures_celery import wait_for
from tests.modules.notifications.factories import NotificationSettingsFactory, TopicPreferenceFactory
from tests.tenants.test_provisioning_outage import web_publishes_to

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
TITLE = "Wasserleitung am Kirchberg erneuert"


@pytest.fixture
def broker(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path, broker) -> Iterator[tuple[subprocess.Popen, Path, Path]]:
    """`celery worker -B` on the private broker; yields (process, its log, the folder its mails land in)."""
    mails, log = tmp_path / "mails", tmp_path / "worker.log"
    mails.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.modules.notifications.worker_mail_settings",
        "TEST_WORKER_MAIL_DIR": str(mails),
        "CELERY_SKIP_CHECKS": "1",
        "REDIS_URL": broker.socket,
        "DATABASE_URL": embedded.database_url_with_name(os.environ["DATABASE_URL"], connection.settings_dict["NAME"]),
        "OUTBOX_SWEEP_SECONDS": "1",
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--pool", "solo",
             "--schedule", str(tmp_path / "beat"), "--loglevel", "INFO", "-Q", "urgent,celery",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=60, interval=0.1)
        yield process, log, mails
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _mails_to(folder: Path, address: str) -> int:
    return sum(path.read_text(errors="replace").count(f"\nTo: {address}\n") for path in folder.glob("*.log"))


def _succeeded(log: Path, task_id: str) -> int:
    return log.read_text(errors="replace").count(f"[{task_id}] succeeded")


def test_news_published_while_the_broker_is_down_is_mailed_once_after_it_returns(town_a, broker, worker):
    process, log, mails = worker
    # given: a resident of town A who wants official news by e-mail at once, at any hour
    with schema_context(town_a.schema_name):
        reader = UserFactory(email="leserin@example.org", name="Lena Leserin")
        NotificationSettingsFactory(user=reader, quiet_hours=False)
        TopicPreferenceFactory(user=reader, topic="news.official")
        admin = town_admin()
        reader_id = reader.pk

    # when: Redis goes away (and comes back empty) while the town hall publishes an article
    broker.stop()
    connection.set_tenant(town_a)
    try:
        with web_publishes_to(broker), transaction.atomic():
            article = news_services.article_create(acting_user=admin, title=TITLE, teaser="Kurz gesagt.",
                                                   body="<p>Ab Montag fließt das Wasser wieder.</p>")
            news_services.article_publish(article=article, acting_user=admin)
    finally:
        connection.set_schema_to_public()

    # then: the article is public, its announcement waits in the outbox, nobody has been told yet
    row = OutboxMessage.objects.get(task_name="notifications.announce_content")
    assert row.sent_at is None and row.last_error
    with schema_context(town_a.schema_name):
        assert not Notification.objects.exists()

    # when: Redis is back; the worker reconnects and its beat sweeps the outbox; nobody does anything
    broker.start()

    def mailed() -> bool:
        with schema_context(town_a.schema_name):
            return Notification.objects.filter(user_id=reader_id, email_state="sent").exists()

    wait_for(mailed, timeout=90, interval=0.2)

    # then: one notification, one mail, to the reader
    with schema_context(town_a.schema_name):
        assert Notification.objects.filter(user_id=reader_id).count() == 1
    assert _mails_to(mails, "leserin@example.org") == 1

    # when: the broker delivers the task again (a lost acknowledgement, a worker killed after sending)
    with web_publishes_to(broker):
        current_app.send_task(row.task_name, args=row.args, kwargs=row.kwargs, task_id=str(row.pk),
                              headers={"_schema_name": row.schema_name})
    wait_for(lambda: _succeeded(log, str(row.pk)) >= 2, timeout=60)

    # then: still one notification and one mail
    with schema_context(town_a.schema_name):
        assert Notification.objects.filter(user_id=reader_id).count() == 1
    assert _mails_to(mails, "leserin@example.org") == 1
    assert process.poll() is None
