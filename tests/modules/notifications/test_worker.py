"""Through a real Celery worker: notify() in town A is delivered in town A's schema only (ISOLATION T8/T9)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.helpers import host_of
from tests.modules.notifications.factories import NotificationSettingsFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_notify_is_delivered_by_the_worker_in_the_senders_town(celery_worker, town_a, town_b, mailoutbox):
    from accounts.models import User
    from modules.notifications.facade import notify
    from modules.notifications.models import Notification

    # given: the same person (same e-mail, likely the same pk) in both towns, without quiet hours
    people = {}
    for town in (town_a, town_b):
        with schema_context(town.schema_name):
            person = UserFactory(email="worker@example.org", name="Wera")
            NotificationSettingsFactory(user=person, quiet_hours=False)
            people[town.slug] = person.pk
    try:
        # when: town A notifies after its transaction commits
        connection.set_tenant(town_a)
        with transaction.atomic():
            notify(user_ids=[people[town_a.slug]], event="test.worker", title="Aus dem Worker", body="Hallo",
                   url="/notifications/", dedupe_key="worker:1")
        connection.set_schema_to_public()

        # then: A has it and mailed it with A's domain; B has nothing
        def arrived():
            with schema_context(town_a.schema_name):
                return Notification.objects.filter(dedupe_key="worker:1", email_state="sent").exists()

        wait_for(arrived, timeout=60)
        with schema_context(town_b.schema_name):
            assert not Notification.objects.exists()
        (mail,) = mailoutbox
        assert f"http://{host_of(town_a)}/notifications/" in mail.body
        assert host_of(town_b) not in mail.body
    finally:
        # Transactional tests don't empty town schemas: remove what this test made.
        for town in (town_a, town_b):
            with schema_context(town.schema_name):
                User.objects.filter(email="worker@example.org").delete()
        connection.set_schema_to_public()
