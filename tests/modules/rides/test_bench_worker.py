"""The Mitfahrbank through a real Celery worker: a person without an account says "Ich sitze jetzt hier",
the worker tells each opted-in driver once (urgent queue), and nobody after the request expired."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from modules.notifications.models import Notification
from modules.rides import services
from modules.rides.models import BenchRequest, StopKind
from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient, host_of
from tests.modules.rides.factories import StopFactory


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_opted_in_drivers_once_and_nobody_after_expiry(celery_worker, committed_town_a):
    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        station = StopFactory(name="Betzdorf Bahnhof", latitude=50.788, longitude=7.872)
        bench = StopFactory(name="Mitfahrbank Kausen", kind=StopKind.BENCH, is_bench=True, latitude=50.757,
                            longitude=7.870)
        bench.directions.set([station])
        drivers = [UserFactory(email=f"fahrer{n}-worker@example.org", name=f"Fahrer {n}") for n in range(3)]
        services.bench_watch_set(acting_user=drivers[0], bench=bench, on=True)
        services.bench_watch_set(acting_user=drivers[1], bench=None, on=True)  # every bench
        # drivers[2] did not opt in
    connection.set_schema_to_public()

    response = TownClient(host_of(town)).post(f"/rides/bank/{bench.pk}/",
                                              {"direction": station.pk, "name": "Erna"})
    assert response.status_code == 302

    def told() -> list[int]:
        with schema_context(town.schema_name):
            return sorted(Notification.objects.filter(event="rides.bench").values_list("user_id", flat=True))

    assert wait_for(lambda: len(told()) == 2 and told(), timeout=60) == sorted([drivers[0].pk, drivers[1].pk])
    with schema_context(town.schema_name):
        notice = Notification.objects.filter(event="rides.bench").first()
        assert notice.urgent and "Erna" in notice.title
        request = BenchRequest.objects.get()
        # 20 minutes later the request is over: a driver opting in now hears nothing of it,
        # and "Ich komme" is refused.
        BenchRequest.objects.filter(pk=request.pk).update(
            expires_at=request.created_at - datetime.timedelta(seconds=1))
        connection.set_tenant(town)
        services.bench_watch_set(acting_user=drivers[2], bench=bench, on=True)
        request.refresh_from_db()
        assert request.is_expired
    connection.set_schema_to_public()
    # A second, later request reaches all three: the worker still runs, so silence above is real.
    TownClient(host_of(town)).post(f"/rides/bank/{bench.pk}/", {"direction": station.pk, "name": "Karl"})
    wait_for(lambda: len(told()) == 5, timeout=60)
    with schema_context(town.schema_name):
        assert Notification.objects.filter(event="rides.bench", title__contains="Erna").count() == 2
