"""The periodic expiry task: does its work where the module is on, nothing where it is off (T13)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.marketplace.models import Listing, ListingStatus
from modules.marketplace.tasks import expire_listings, notify_saved_searches, send_user_mail
from tenants.services import tenant_module_disable, tenant_module_enable
from tests.accounts.factories import UserFactory
from tests.modules.marketplace.factories import ListingFactory


def _overdue_listing(town) -> int:
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        listing = ListingFactory(owner=UserFactory(email=f"besitz-{town.slug}@example.org"))
        Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    connection.set_schema_to_public()
    return listing.pk


def _status(town, pk: int) -> str:
    with schema_context(town.schema_name):
        return Listing.objects.get(pk=pk).status


def test_expire_task_is_a_no_op_where_the_module_is_off(town_a, town_b, django_capture_on_commit_callbacks,
                                                        notifications_off, celery_eager):
    # given: an overdue listing in each town, the module off in B
    pk_a, pk_b = _overdue_listing(town_a), _overdue_listing(town_b)
    tenant_module_disable(tenant=town_b, key="marketplace")
    try:
        # when: the task runs in each town (as core.fan_out would enqueue it)
        connection.set_tenant(town_a)
        with django_capture_on_commit_callbacks(execute=True):  # the mail task runs in A
            ran_a = expire_listings()
        connection.set_tenant(town_b)
        with django_capture_on_commit_callbacks(execute=True):
            ran_b = expire_listings()
            notified_b = notify_saved_searches(pk_b)
            mailed_b = send_user_mail(user_id=1, subject="x", template="marketplace/mail/listing_expired", context={})
        connection.set_schema_to_public()

        # then
        assert (ran_a, ran_b, notified_b, mailed_b) == (1, 0, 0, 0)
        assert _status(town_a, pk_a) == ListingStatus.EXPIRED
        assert _status(town_b, pk_b) == ListingStatus.ACTIVE
        assert [message.to for message in mail.outbox] == [[f"besitz-{town_a.slug}@example.org"]]
    finally:
        connection.set_schema_to_public()
        tenant_module_enable(tenant=town_b, key="marketplace")


def test_the_task_is_declared_for_the_beat_fan_out():
    from core.tasks import module_beat_schedule

    entry = module_beat_schedule()["marketplace:marketplace.expire_listings"]
    assert entry["task"] == "core.fan_out" and entry["args"] == ("marketplace.expire_listings", "marketplace")
