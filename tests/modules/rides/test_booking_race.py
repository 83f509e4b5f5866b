"""Two people book the last seat at the same moment, on the real database: one booking (ISOLATION T20)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from modules.rides import selectors, services
from modules.rides.models import Booking, Ride
from tests.accounts.factories import UserFactory
from tests.modules.rides.factories import RideFactory, StopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_booking_the_last_seat_at_once_get_one_booking(committed_town_a, monkeypatch):
    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        start = StopFactory(name="Elkenroth", latitude=50.735, longitude=7.878)
        end = StopFactory(name="Betzdorf Bahnhof", latitude=50.788, longitude=7.872)
        ride = RideFactory(person=UserFactory(email="fahrer-race@example.org"), from_stop=start, to_stop=end,
                           weekdays=[0, 1, 2, 3, 4], time=datetime.time(7, 15), seats=1)
        day = ride.next_dates(1)[0]
        people = [UserFactory(email="anna-race@example.org"), UserFactory(email="bert-race@example.org")]
    connection.set_schema_to_public()

    # Whoever holds the lock keeps it a moment, so the other really has to wait for it.
    real_seats_taken = selectors.seats_taken

    def slow_seats_taken(**kwargs):
        import time

        taken = real_seats_taken(**kwargs)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(selectors, "seats_taken", slow_seats_taken)
    barrier = threading.Barrier(len(people))
    outcome: dict[str, str] = {}

    def book(person) -> None:
        connection.set_tenant(town)
        try:
            stale = Ride.objects.get(pk=ride.pk)
            barrier.wait()
            services.booking_create(ride=stale, day=day, acting_user=person)
            outcome[person.email] = "booked"
        except ValidationError as error:
            outcome[person.email] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    full = gettext("There are not enough free seats on this ride any more.")
    assert sorted(outcome.values()) == sorted(["booked", full])
    with schema_context(town.schema_name):
        assert Booking.objects.filter(ride_id=ride.pk, day=day).count() == 1
