"""Urgent notifications on their own queue; bulk work on the default one, in short chunks (issue 18 §2, §5).

What is checked is what reaches the broker: the queue each message is published to, captured at the
last step before Redis (Celery's send_task_message), after the project's router has decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from celery import current_app

from modules.notifications.facade import notify
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def published(monkeypatch) -> Iterator[list[tuple[str, str]]]:
    """(task name, queue name) of every message published while the test runs; nothing reaches Redis."""
    sent: list[tuple[str, str]] = []
    amqp = current_app.amqp

    def capture(producer, name, message, queue=None, **options):
        sent.append((name, queue.name if hasattr(queue, "name") else str(queue)))

    monkeypatch.setattr(amqp, "_send_task_message", capture, raising=False)
    monkeypatch.setattr(amqp, "send_task_message", capture)
    yield sent


def _route(name: str, **kwargs) -> str:
    return current_app.amqp.router.route({}, name, (), kwargs)["queue"].name


def test_urgent_tasks_are_routed_to_the_urgent_queue_and_bulk_work_to_the_default():
    assert _route("notifications.urgent_notice_deliver", notice_id=1) == "urgent"
    assert _route("notifications.deliver", urgent=True) == "urgent"
    assert _route("notifications.deliver", urgent=False) == "celery"
    assert _route("notifications.deliver") == "celery"
    for bulk in ("notifications.send_digests", "notifications.release_deferred", "core.fan_out",
                 "notifications.announce_content", "tenants.tasks.town_provision"):
        assert _route(bulk) == "celery", bulk


def test_notify_urgent_publishes_on_the_urgent_queue_and_a_plain_notify_on_the_default(
    in_town_a, published, django_capture_on_commit_callbacks
):
    anna = UserFactory(email="anna@example.org")
    common = {"user_ids": [anna.pk], "event": "alerts.warning", "title": "Unwetter", "body": "Sturm",
              "url": "/", "topic": ""}

    with django_capture_on_commit_callbacks(execute=True):
        notify(**common, dedupe_key="alerts:1", urgent=True)
        notify(**common, dedupe_key="news:1")

    assert published == [("notifications.deliver", "urgent"), ("notifications.deliver", "celery")]


def test_an_urgent_notice_from_the_town_hall_goes_on_the_urgent_queue(
    in_town_a, published, django_capture_on_commit_callbacks
):
    from modules.notifications.services import urgent_notice_send
    from tests.helpers import admin_of

    with django_capture_on_commit_callbacks(execute=True):
        urgent_notice_send(acting_user=admin_of(in_town_a), title="Trinkwasser abkochen", body="Bis auf Weiteres.")

    assert ("notifications.urgent_notice_deliver", "urgent") in published


def test_every_worker_consumes_the_urgent_queue_and_one_consumes_nothing_else():
    # The default worker of compose and of `dorfkern.py run` take both queues, urgent first ...
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    worker = compose["services"]["worker"]["command"]
    assert worker[worker.index("--queues") + 1] == "urgent,celery"
    devtools = (ROOT / "platform" / "config" / "devtools.py").read_text()
    assert '"--queues", "urgent,celery"' in devtools
    # ... and compose runs a worker for urgent work alone, which no bulk fan-out can keep busy.
    urgent = compose["services"]["worker-urgent"]["command"]
    assert urgent[:4] == ["celery", "-A", "config", "worker"]
    assert urgent[urgent.index("--queues") + 1] == "urgent"
    # A worker started without --queues (the tests' own) consumes both as well.
    assert {queue.name for queue in current_app.conf.task_queues} == {"urgent", "celery"}


def test_an_urgent_notice_to_many_residents_is_split_into_short_chunks_on_the_urgent_queue(
    in_town_a, published, monkeypatch, django_capture_on_commit_callbacks
):
    from modules.notifications import services
    from modules.notifications.models import UrgentNotice

    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    for i in range(4):
        UserFactory(email=f"r{i}@example.org")
    notice = UrgentNotice.objects.create(title="Hochwasser", body="Keller räumen.")
    residents = len(services.urgent_notice_recipients(notice))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.urgent_notice_deliver(notice_id=notice.pk) == residents

    chunks = [queue for name, queue in published if name == "notifications.urgent_notice_chunk"]
    assert len(chunks) == -(-residents // 2) and set(chunks) == {"urgent"}


def test_a_chunk_delivered_twice_reaches_each_resident_once_and_counts_them_once(in_town_a, daytime, mailoutbox):
    from modules.notifications import services
    from modules.notifications.models import Notification, UrgentNotice

    people = [UserFactory(email=f"r{i}@example.org").pk for i in range(3)]
    notice = UrgentNotice.objects.create(title="Hochwasser", body="Keller räumen.")

    services.urgent_notice_deliver_chunk(notice_id=notice.pk, user_ids=people[:2])
    services.urgent_notice_deliver_chunk(notice_id=notice.pk, user_ids=people[:2])  # redelivered
    services.urgent_notice_deliver_chunk(notice_id=notice.pk, user_ids=people[2:])

    notice.refresh_from_db()
    assert Notification.objects.filter(dedupe_key=f"urgent:{notice.pk}").count() == 3
    assert notice.recipient_count == 3 and notice.delivered_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == ["r0@example.org", "r1@example.org", "r2@example.org"]


def test_digests_for_many_residents_are_split_into_chunks_on_the_default_queue(
    in_town_a, published, monkeypatch, django_capture_on_commit_callbacks
):
    from modules.notifications import services
    from tests.modules.notifications.factories import NotificationSettingsFactory
    from tests.modules.notifications.helpers import berlin, deliver_kwargs

    monkeypatch.setattr(services, "DIGEST_CHUNK", 2)
    for i in range(5):
        reader = UserFactory(email=f"leser{i}@example.org")
        NotificationSettingsFactory(user=reader, email_frequency="daily")
        services.notifications_create(user_ids=[reader.pk], now=berlin(9), **deliver_kwargs(dedupe_key=f"d:{i}"))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_fan_out(now=berlin(7, day=26)) == 0  # split, none sent here

    assert published == [("notifications.send_digests_chunk", "celery")] * 3


def test_a_digest_chunk_run_twice_mails_each_resident_once(in_town_a, mailoutbox):
    from modules.notifications import services
    from tests.modules.notifications.factories import NotificationSettingsFactory
    from tests.modules.notifications.helpers import berlin, deliver_kwargs

    readers = []
    for i in range(2):
        reader = UserFactory(email=f"leser{i}@example.org")
        NotificationSettingsFactory(user=reader, email_frequency="daily")
        services.notifications_create(user_ids=[reader.pk], now=berlin(9), **deliver_kwargs(dedupe_key=f"d:{i}"))
        readers.append(reader.pk)

    assert services.digests_send(now=berlin(7, day=26), user_ids=readers) == 2
    assert services.digests_send(now=berlin(7, day=26), user_ids=readers) == 0  # redelivered chunk
    assert sorted(m.to[0] for m in mailoutbox) == ["leser0@example.org", "leser1@example.org"]
