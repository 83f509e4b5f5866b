"""The periodic clean-up of activity counts: idempotent, and a no-op when the module is off."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from modules.moderation import tasks
from modules.moderation.models import Activity
from tests.accounts.factories import UserFactory
from tests.modules.moderation.helpers import moderation_switch_off


def test_old_activity_rows_are_purged_once_and_todays_kept(in_town_a):
    newcomer = UserFactory(email="neu@example.org", age_days=1)
    Activity.objects.bulk_create([
        Activity(user=newcomer, action="post", created_at=timezone.now() - timedelta(days=3)),
        Activity(user=newcomer, action="post", created_at=timezone.now() - timedelta(hours=2)),
    ])
    assert tasks.purge_activity() == 1
    assert tasks.purge_activity() == 0
    assert Activity.objects.count() == 1


def test_the_purge_does_nothing_when_the_module_is_off(in_town_a):
    newcomer = UserFactory(email="neu@example.org", age_days=1)
    Activity.objects.create(user=newcomer, action="post", created_at=timezone.now() - timedelta(days=3))
    moderation_switch_off(in_town_a)
    connection.set_tenant(in_town_a)
    assert tasks.purge_activity() == 0
    assert Activity.objects.count() == 1
