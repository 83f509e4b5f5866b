"""Fixtures for the Mitfahren tests: stops of a hand-made geography, drivers and passengers (town A)."""

from __future__ import annotations

import pytest

from accounts.models import User
from modules.rides.models import Stop, StopKind
from tests.accounts.factories import UserFactory
from tests.modules.rides.factories import StopFactory
from tests.modules.rides.helpers import PLACES


@pytest.fixture
def stops(in_town_a) -> dict[str, Stop]:
    made = {}
    for key, (lat, lon) in PLACES.items():
        kind = StopKind.STATION if key == "betzdorf" else StopKind.CENTRE
        made[key] = StopFactory(name=key.capitalize(), kind=kind, latitude=lat, longitude=lon)
    bench = StopFactory(name="Mitfahrbank Kausen", kind=StopKind.BENCH, is_bench=True,
                        latitude=PLACES["kausen"][0] + 0.001, longitude=PLACES["kausen"][1])
    bench.directions.set([made["betzdorf"], made["elkenroth"]])
    made["bench"] = bench
    return made


@pytest.fixture
def driver(in_town_a) -> User:
    return UserFactory(email="dieter@example.org", name="Dieter Fahr")


@pytest.fixture
def passenger(in_town_a) -> User:
    return UserFactory(email="paula@example.org", name="Paula Mit")


@pytest.fixture
def committed_town_a(town_a):
    """Town A for transactional tests (race, real worker); what a test commits there is removed afterwards."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from modules.notifications.models import Notification
    from modules.rides.models import Ride

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        Notification.objects.filter(event__startswith="rides.").delete()
        Ride.objects.all().delete()
        Stop.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()
