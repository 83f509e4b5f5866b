"""The demo town's Mitfahren: stops with Betzdorf Bahnhof, two Mitfahrbänke, three regular offers, a request."""

from __future__ import annotations

import pytest

from accounts.models import User
from demo import data
from modules.rides import demo, selectors
from modules.rides.models import Ride, Stop
from tests.accounts.factories import UserFactory


@pytest.fixture
def demo_people(in_town_a) -> dict[str, User]:
    return {local: UserFactory(email=data.email_of(local), name=name)
            for local, (name, _role, _village, _orgs) in data.PEOPLE.items()}


def test_demo_rides_are_loaded_once_and_the_request_finds_an_offer(demo_people):
    assert demo.load() == len(demo.STOPS) + len(demo.BENCHES) + len(demo.OFFERS) + 1 + len(demo.BUS_LINES) + \
        len(demo.BUS_CALLERS)
    assert demo.load() == 0
    assert Stop.objects.filter(name="Betzdorf Bahnhof").exists()
    assert Stop.objects.filter(is_bench=True).count() == 2
    assert Ride.objects.filter(kind="offer", date__isnull=True).count() == 3
    request = Ride.objects.get(kind="request")
    assert selectors.offers_matching(request), "Gisela's ride to the doctor should find a driver"
    # The Bürgerbus-Verein's phone has taken two bookings for Monday's first journey.
    from modules.rides.models import BusBooking

    assert BusBooking.objects.filter(entered_by=demo_people["peter.schneider"], is_cancelled=False).count() == 2
