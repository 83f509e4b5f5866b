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
