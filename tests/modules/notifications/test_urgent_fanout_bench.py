"""Measured: one urgent notice fanned out to 5,000 residents by a real Celery worker.

Slow (about a minute), so it only runs when asked:

    DORFKERN_BENCH=1 .venv/bin/pytest tests/modules/notifications/test_urgent_fanout_bench.py -s

5,000 residents get it in the app and by e-mail (Django's in-memory mail backend, so the
figure is our own work, not an SMTP server's); 1,000 of them also by web push to a
push service on 127.0.0.1 (real VAPID signing and aes128gcm encryption per message).
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.fixtures_celery import wait_for
from tests.modules.notifications.helpers import BrowserKeys

RESIDENTS = 5000
WITH_PUSH = 1000

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DORFKERN_BENCH"), reason="benchmark: set DORFKERN_BENCH=1"),
    pytest.mark.celery,
    pytest.mark.django_db(transaction=True),
]


def test_urgent_notice_to_5000_residents(celery_worker, town_a, push_service, mailoutbox, settings):
    from accounts.models import User
    from modules.notifications import services
    from modules.notifications.models import Notification, PushSubscription, UrgentNotice

    keys = BrowserKeys.generate()
    with schema_context(town_a.schema_name):
        users = User.objects.bulk_create(
            User(email=f"bench-{i}@example.org", name=f"Bench {i}", password="!") for i in range(RESIDENTS)
        )
        PushSubscription.objects.bulk_create(
            PushSubscription(user=user, endpoint=push_service.endpoint(f"b{user.pk}"), p256dh=keys.p256dh,
                             auth=keys.auth)
            for user in users[:WITH_PUSH]
        )
        admin = User.objects.filter(role="admin").order_by("pk").first()
    try:
        connection.set_tenant(town_a)
        started = time.perf_counter()
        notice = services.urgent_notice_send(acting_user=admin, title="Unwetterwarnung",
                                             body="Orkanböen ab 18 Uhr. Bitte Gegenstände sichern.")
        connection.set_schema_to_public()

        def delivered():
            with schema_context(town_a.schema_name):
                # Delivered in chunks: done once the last chunk has counted everyone.
                return UrgentNotice.objects.filter(pk=notice.pk, recipient_count__gte=RESIDENTS).first()

        done = wait_for(delivered, timeout=600, interval=0.2)
        elapsed = time.perf_counter() - started
        with schema_context(town_a.schema_name):
            count = Notification.objects.filter(dedupe_key=f"urgent:{notice.pk}").count()
        print(f"\nurgent fan-out: {done.recipient_count} residents ({count} notifications, "
              f"{len(mailoutbox)} e-mails, {len(push_service.received)} pushes) in {elapsed:.1f} s")
        assert count >= RESIDENTS
        assert len(push_service.received) == WITH_PUSH
    finally:
        # Transactional tests don't empty town schemas: take the 5,000 people out again.
        with schema_context(town_a.schema_name):
            UrgentNotice.objects.all().delete()
            User.objects.filter(email__startswith="bench-").delete()
        connection.set_schema_to_public()
