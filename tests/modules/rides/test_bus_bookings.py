"""Seats on the Bürgerbus: the dispatcher enters phone bookings, residents book from the ride search, seats
count per section of the route, and bad input changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from modules.rides import bus
from modules.rides.models import BusBooking, BusLine
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client, shown
from tests.modules.rides.helpers import next_weekday

TIMETABLE = "Gebhardshain | 07:45 13:45\nElkenroth | 07:55 13:55\nKausen | 08:00 14:00\nBetzdorf | 08:10 14:10"


@pytest.fixture
def line(stops, town_a) -> BusLine:
    made = bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus", phone="02741 123", weekdays=[0, 2, 4],
                           timetable=TIMETABLE)
    made.seats = 2
    made.save()
    return made


def _morning(line: BusLine):
    return line.trips.order_by("pk").first()


def test_the_dispatcher_books_by_phone_and_seats_count_per_section(line, stops, town_a):
    dispatcher = UserFactory(email="dispo@example.org", name="Doris Dispo")
    admin = logged_in_client(town_a, admin_of(town_a))
    assert admin.post(f"/rides/manage/lines/{line.pk}/settings/",
                      {"seats": "2", "dispatchers": "dispo@example.org"}).status_code == 302
    client = logged_in_client(town_a, dispatcher)
    monday = next_weekday(0)
    page = client.get(f"/rides/manage/lines/{line.pk}/bookings/?day={monday}")
    assert page.status_code == 200 and "07:45" in page.content.decode()

    trip = _morning(line)
    booking = {"trip": trip.pk, "day": monday.isoformat(), "seats": "2", "name": "Frau Weber", "phone": "02747 55",
               "from_stop": stops["gebhardshain"].pk, "to_stop": stops["elkenroth"].pk}
    assert client.post(f"/rides/manage/lines/{line.pk}/bookings/", booking).status_code == 302
    # Both seats are free again from Elkenroth on ...
    later = booking | {"name": "Herr Kurz", "from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk}
    assert client.post(f"/rides/manage/lines/{line.pk}/bookings/", later).status_code == 302
    # ... but not between Gebhardshain and Kausen.
    full = client.post(f"/rides/manage/lines/{line.pk}/bookings/",
                       booking | {"seats": "1", "name": "Frau Lang", "to_stop": stops["kausen"].pk})
    assert full.status_code == 400 and shown("Not enough seats are free on this journey any more.") in \
        full.content.decode()
    day_page = client.get(f"/rides/manage/lines/{line.pk}/bookings/?day={monday}").content.decode()
    assert "Frau Weber" in day_page and "02747 55" in day_page and "Frau Lang" not in day_page
    assert BusBooking.objects.count() == 2

    # The afternoon journey is untouched; cancelling frees the seat at once.
    assert bus.seats_free(trip=trip, day=monday) == 0
    first = BusBooking.objects.get(name="Frau Weber")
    assert client.post(f"/rides/bus/bookings/{first.pk}/cancel/").status_code == 302
    assert bus.seats_free(trip=trip, day=monday, from_sequence=0, to_sequence=1) == 2


def test_bad_bookings_are_refused_and_nothing_is_stored(line, stops, town_a):
    admin = admin_of(town_a)
    trip, monday = _morning(line), next_weekday(0)
    cases = [
        ({"day": monday + datetime.timedelta(days=1)}, "This journey doesn't run on %(day)s.",
         {"day": (monday + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}),
        ({"from_stop": stops["betzdorf"], "to_stop": stops["kausen"]},
         "This journey doesn't go from %(start)s to %(end)s.", {"start": "Betzdorf", "end": "Kausen"}),
        ({"seats": 0}, "Please book between 1 and %(max)s seats.", {"max": 2}),
        ({"seats": 3}, "Please book between 1 and %(max)s seats.", {"max": 2}),
        ({"name": "  "}, "Please give the passenger's name.", {}),
        ({"day": next_weekday(0, weeks=0) - datetime.timedelta(days=7)}, "This journey has already left.", {}),
    ]
    base = {"trip": trip, "day": monday, "from_stop": stops["gebhardshain"], "to_stop": stops["betzdorf"],
            "seats": 1, "name": "Frau Weber"}
    for change, message, params in cases:
        with pytest.raises(ValidationError) as error:
            bus.booking_create(acting_user=admin, **(base | change))
        assert (gettext(message) % params if params else gettext(message)) in " ".join(error.value.messages), change
    assert not BusBooking.objects.exists()


def test_residents_book_from_the_search_and_others_cannot_dispatch(line, stops, town_a, passenger):
    client = logged_in_client(town_a, passenger)
    monday = next_weekday(0)
    found = client.get("/rides/", {"from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk,
                                   "date": monday.isoformat(), "time": "07:00"}).content.decode()
    assert shown("Book a seat") in found
    response = client.post("/rides/bus/book/", {"trip": _morning(line).pk, "day": monday.isoformat(), "seats": "1",
                                                "from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk})
    assert response.status_code == 302
    mine = client.get("/rides/mine/").content.decode()
    assert shown("My seats on the bus") in mine and "Bürgerbus" in mine
    booking = BusBooking.objects.get()
    assert booking.passenger == passenger and booking.name == passenger.get_full_name() and booking.phone == ""

    # A resident is no dispatcher: neither the day's list nor someone else's booking.
    assert client.get(f"/rides/manage/lines/{line.pk}/bookings/").status_code == 403
    other = logged_in_client(town_a, UserFactory(email="otto@example.org"))
    assert other.post(f"/rides/bus/bookings/{booking.pk}/cancel/").status_code == 404
    with pytest.raises(PermissionDenied):
        bus.line_settings_update(acting_user=passenger, line=line, seats=4, dispatcher_emails=[])
    with pytest.raises(ValidationError):
        bus.line_settings_update(acting_user=admin_of(town_a), line=line, seats=2,
                                 dispatcher_emails=["niemand@example.org"])
    assert client.post(f"/rides/bus/bookings/{booking.pk}/cancel/").status_code == 302
    assert BusBooking.objects.get().is_cancelled
