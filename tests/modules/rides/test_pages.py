"""The pages for each kind of visitor: search, booking through the page, the driver's answer; a fixed
number of queries whatever the number of rides."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.rides.models import Booking, BookingStatus, Ride
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.rides.factories import RideFactory
from tests.modules.rides.helpers import next_weekday


def test_a_resident_searches_books_and_the_driver_confirms(stops, driver, passenger, town_a):
    ride = RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                       weekdays=[0, 1, 2, 3, 4], time=datetime.time(7, 15))
    client = logged_in_client(town_a, passenger)
    tuesday = next_weekday(1)
    found = client.get("/rides/", {"from_stop": stops["kausen"].pk, "to_stop": stops["betzdorf"].pk,
                                   "date": tuesday.isoformat(), "time": "07:30"})
    assert ride.get_absolute_url() in found.content.decode()
    response = client.post(f"/rides/{ride.pk}/book/", {"day": tuesday.isoformat(), "seats": "1"})
    booking = Booking.objects.get()
    assert response["Location"] == booking.get_absolute_url() and booking.status == BookingStatus.PENDING
    driver_client = logged_in_client(town_a, driver)
    assert passenger.get_short_name() in driver_client.get(ride.get_absolute_url()).content.decode()
    driver_client.post(f"/rides/bookings/{booking.pk}/confirm/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert "ride.ics" in client.get(booking.get_absolute_url()).content.decode()


def test_visitors_see_the_list_and_the_bench_without_an_account(stops, driver, town_a):
    RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"], weekdays=[1],
                time=datetime.time(7, 15))
    client = TownClient(host_of(town_a))
    page = client.get("/rides/").content.decode()
    assert "Elkenroth → Betzdorf" in page and "Personenbeförderungsgesetz" in page
    assert client.get(f"/rides/bank/{stops['bench'].pk}/").status_code == 200
    assert client.get("/rides/offer/").status_code == 302  # to the login


def _selects(context: CaptureQueriesContext) -> int:
    return len([q for q in context.captured_queries if not q["sql"].startswith(("SET ", "SAVEPOINT", "RELEASE"))])


def test_the_list_and_the_offer_page_cost_the_same_for_5_and_30_rides(stops, driver, town_a):
    client = logged_in_client(town_a, UserFactory(email="schauer@example.org"))
    counts = []
    ride = None
    client.get("/rides/")  # the first page of a session loads a few things once (session, profile)
    for total in (5, 30):
        for _ in range(total - Ride.objects.count()):
            ride = RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                               weekdays=[1, 3], time=datetime.time(7, 15))
        with CaptureQueriesContext(connection) as listing:
            assert client.get("/rides/").status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert client.get(ride.get_absolute_url()).status_code == 200
        counts.append((_selects(listing), _selects(detail)))
    assert counts[0] == counts[1]
