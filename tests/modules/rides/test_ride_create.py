"""Offering and asking: bad input is refused with a clear message and nothing is stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.rides import services
from modules.rides.models import Ride
from tests.helpers import logged_in_client, shown
from tests.modules.rides.helpers import next_weekday


def _offer(stops, driver, **fields):
    data = {"acting_user": driver, "kind": "offer", "from_stop": stops["elkenroth"], "to_stop": stops["betzdorf"],
            "date": next_weekday(1), "time": datetime.time(7, 15), "seats": 3, "detour_km": 3}
    data.update(fields)
    return services.ride_create(**data)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"to_stop": "elkenroth"}, "to_stop", "Start and destination are the same place."),
    ({"date": "yesterday"}, "time", "This time has already passed."),
    ({"seats": 0}, "seats", "Please give between 1 and %(max)d seats."),
    ({"seats": 9}, "seats", "Please give between 1 and %(max)d seats."),
    ({"detour_km": 500}, "detour_km", "A detour can be at most %(max)d km."),
    ({"date": None}, "date", "Please give a date, or the weekdays of a regular ride."),
    ({"from_stop": None}, "from_stop", "Please choose a stop or a point on the map."),
])
def test_bad_input_is_refused_and_nothing_stored(stops, driver, fields, field, message):
    fields = dict(fields)
    if fields.get("to_stop") == "elkenroth":
        fields["to_stop"] = stops["elkenroth"]
    if fields.get("date") == "yesterday":
        fields["date"] = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _offer(stops, driver, **fields)
    assert field in refused.value.message_dict
    assert refused.value.message_dict[field][0].startswith(_(message).split("%")[0])
    assert not Ride.objects.exists()


def test_a_free_map_point_is_shown_rounded_never_exactly(stops, passenger):
    ride = services.ride_create(acting_user=passenger, kind="request", from_lat=50.735123, from_lon=7.878456,
                                to_stop=stops["betzdorf"], date=next_weekday(1), time=datetime.time(7, 30))
    assert ride.from_lat == 50.735123  # stored exactly, for matching
    assert "50.74" in ride.from_label and "50.735" not in ride.from_label


def test_the_offer_page_refuses_a_500_km_detour_in_german(stops, driver, town_a):
    client = logged_in_client(town_a, driver)
    response = client.post("/rides/offer/", {
        "from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk, "weekdays": ["0", "1"],
        "time": "07:15", "seats": "3", "detour": "500", "detour_unit": "km",
    }, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert shown("A detour can be at most %(max)d km.", max=30) in response.content.decode()
    assert not Ride.objects.exists()


def test_a_commuter_offers_a_regular_ride_on_the_page(stops, driver, town_a):
    client = logged_in_client(town_a, driver)
    response = client.post("/rides/offer/", {
        "from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk, "weekdays": ["0", "1", "2", "3", "4"],
        "time": "07:15", "return_time": "17:30", "seats": "3", "detour": "10", "detour_unit": "min",
        "luggage": "on", "note": "Abfahrt am Dorfplatz.",
    })
    ride = Ride.objects.get()
    assert response.status_code == 302 and response["Location"] == ride.get_absolute_url()
    assert ride.weekdays == "01234" and ride.date is None and ride.detour_km == pytest.approx(8.0)
    page = client.get(ride.get_absolute_url()).content.decode()
    assert "Elkenroth → Betzdorf" in page
