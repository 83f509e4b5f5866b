"""Celery work runs in the town that asked for it (ISOLATION T8), with a real worker.

The platform configures no result backend, and so uses no chords; every
other way of sending work is covered here.
"""

from __future__ import annotations

import pytest
from celery import chain, group, shared_task
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from tests.fixtures_celery import wait_for

_KEY = "dorfkern-tests:t8-runs"


def _redis():
    return cache._cache.get_client()


@shared_task(name="tests.t8_record")
def record_schema(label: str = "") -> None:
    _redis().rpush(_KEY, f"{label}:{connection.schema_name}")


@shared_task(name="tests.t8_retry_once", bind=True, max_retries=1)
def retry_once(self) -> None:
    if self.request.retries == 0:
        raise self.retry(countdown=0)
    _redis().rpush(_KEY, f"retried:{connection.schema_name}")


def _runs() -> list[str]:
    return sorted(value.decode() for value in _redis().lrange(_KEY, 0, -1))


pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_t8_every_way_of_sending_runs_in_the_senders_town(celery_worker, town_a):
    _redis().delete(_KEY)
    with schema_context(town_a.schema_name):
        connection.set_tenant(town_a)
        record_schema.delay("delay")
        record_schema.apply_async(args=["countdown"], countdown=1)
        chain(record_schema.si("chain1"), record_schema.si("chain2")).apply_async()
        group(record_schema.si("group1"), record_schema.si("group2")).apply_async()
        retry_once.delay()
    connection.set_schema_to_public()
    expected = sorted(
        f"{label}:{town_a.schema_name}"
        for label in ("delay", "countdown", "chain1", "chain2", "group1", "group2", "retried")
    )
    wait_for(lambda: len(_runs()) >= len(expected), timeout=30)
    assert _runs() == expected


def test_t8_periodic_fan_out_reaches_each_active_town_with_the_module_once(celery_worker, town_a, town_b):
    from core.tasks import fan_out
    from tenants.models import Municipality
    from tenants.services import tenant_module_disable

    _redis().delete(_KEY)
    # given: news is off in B, and a third town exists but is deactivated
    tenant_module_disable(tenant=town_b, key="news")
    fan_out("tests.t8_record", "news")
    wait_for(lambda: len(_runs()) >= 1, timeout=30)
    # then: only A ran it, once
    assert _runs() == [f":{town_a.schema_name}"]

    _redis().delete(_KEY)
    with schema_context("public"):
        Municipality.objects.filter(pk=town_a.pk).update(is_active=False)
    fan_out("tests.t8_record")  # no module filter: every active town
    wait_for(lambda: len(_runs()) >= 1, timeout=30)
    assert _runs() == [f":{town_b.schema_name}"]


def test_t8_a_task_for_a_town_deleted_since_it_was_queued_does_nothing(celery_worker, town_a):
    _redis().delete(_KEY)
    record_schema.apply_async(args=["ghost"], headers={"_schema_name": "t_geloeschte_gemeinde"})
    record_schema.apply_async(args=["after"], headers={"_schema_name": town_a.schema_name})
    # The worker is solo: once the second task ran, the first one was handled.
    wait_for(lambda: len(_runs()) >= 1, timeout=30)
    assert _runs() == [f"after:{town_a.schema_name}"]


@shared_task(name="tests.t9_send_branded_mail")
def send_branded_mail(to: str) -> None:
    from core.mail import send_town_mail

    # The base template alone: greeting and signature with the town's name and link.
    send_town_mail(to=to, subject="Testnachricht", template="core/mail/base")


def test_t9_a_mail_built_in_a_task_carries_the_senders_town(celery_worker, town_a, town_b, mailoutbox):
    # Both towns send the same mail from a worker that serves B right after A.
    for town in (town_a, town_b):
        connection.set_tenant(town)
        send_branded_mail.delay(f"bewohner@{town.slug}.example")
    connection.set_schema_to_public()
    wait_for(lambda: len(mailoutbox) >= 2, timeout=30)
    by_recipient = {message.to[0]: message for message in mailoutbox}
    for town, other in ((town_a, town_b), (town_b, town_a)):
        message = by_recipient[f"bewohner@{town.slug}.example"]
        text = message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
        assert town.name in message.subject
        assert town.name in message.from_email
        assert f"{town.slug}.localhost" in text
        assert f"{other.slug}.localhost" not in text and other.name not in text
