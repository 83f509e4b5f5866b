"""Trips: neighbours join with their lists, auto-accepted by the helper while places last."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from modules.errands import selectors, services
from modules.errands.models import ErrandRequest
from tests.accounts.factories import UserFactory
from tests.modules.errands.factories import TripFactory
from tests.modules.errands.helpers import soon


def _said(msgid: str, **values: object) -> str:
    """A pattern for exactly this message as the resident reads it (German by default)."""
    return re.escape(gettext(msgid) % values if values else gettext(msgid))


def test_joining_makes_a_request_accepted_by_the_helper(anna, bernd, villages):
    trip = TripFactory(helper=bernd, shop_name="Wasgau")
    errand = services.trip_join(trip=trip, acting_user=anna, items="Kaffee\nZucker", ortsgemeinde=villages["kausen"])
    assert (errand.status, errand.helper, errand.trip) == ("accepted", bernd, trip)
    assert errand.shop_name == "Wasgau"
    assert errand.window_start == trip.departure_at < errand.window_end


def test_a_full_trip_takes_nobody_else(anna, bernd, carla, villages):
    trip = TripFactory(helper=bernd, capacity=1)
    services.trip_join(trip=trip, acting_user=anna, items="Milch")
    with pytest.raises(ValidationError, match=_said("This trip is full.")):
        services.trip_join(trip=trip, acting_user=carla, items="Milch")
    assert ErrandRequest.objects.filter(trip=trip).count() == 1


def test_a_place_given_back_is_free_again(anna, bernd, carla):
    trip = TripFactory(helper=bernd, capacity=1)
    errand = services.trip_join(trip=trip, acting_user=anna, items="Milch")
    services.errand_request_release(errand=errand, acting_user=bernd)
    assert services.trip_join(trip=trip, acting_user=carla, items="Milch").trip == trip


def test_joining_twice_or_ones_own_trip_is_refused(anna, bernd):
    trip = TripFactory(helper=bernd)
    services.trip_join(trip=trip, acting_user=anna, items="Milch")
    with pytest.raises(ValidationError, match=_said("You have already joined this trip.")):
        services.trip_join(trip=trip, acting_user=anna, items="Eier")
    with pytest.raises(ValidationError, match=_said("This is your own trip.")):
        services.trip_join(trip=trip, acting_user=bernd, items="Eier")


def test_a_trip_serves_only_the_villages_it_names(anna, bernd, carla, villages):
    trip = TripFactory(helper=bernd, ortsgemeinden=[villages["kausen"]])
    services.trip_join(trip=trip, acting_user=anna, items="Milch", ortsgemeinde=villages["kausen"])
    with pytest.raises(ValidationError, match=_said("This trip does not bring things to your Ortsgemeinde.")):
        services.trip_join(trip=trip, acting_user=carla, items="Milch", ortsgemeinde=villages["elkenroth"])


def test_joining_with_an_empty_list_stores_nothing(anna, bernd):
    trip = TripFactory(helper=bernd)
    with pytest.raises(ValidationError):
        services.trip_join(trip=trip, acting_user=anna, items="\n")
    assert not ErrandRequest.objects.exists()


def test_a_trip_that_left_takes_nobody(anna, bernd):
    trip = TripFactory(helper=bernd, departure_at=soon(1))
    with pytest.raises(ValidationError, match=_said("This trip has already left.")):
        services.trip_join(trip=trip, acting_user=anna, items="Milch", now=trip.departure_at + timedelta(minutes=1))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"destination": " "}, "destination"),
        ({"departure_at": soon(-1)}, "departure_at"),
        ({"departure_at": soon(24 * 8)}, "departure_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 11}, "capacity"),
    ],
)
def test_bad_trips_are_refused(bernd, fields, field):
    from modules.errands.models import Trip

    with pytest.raises(ValidationError) as refused:
        TripFactory(helper=bernd, **fields)
    assert field in refused.value.message_dict
    assert not Trip.objects.exists()


def test_new_accounts_take_at_most_their_daily_acceptances_on_a_trip(villages):
    newbie = UserFactory(email="neu@example.org", age_days=1)
    with pytest.raises(ValidationError, match=_said("Between 1 and %(most)d households can join a trip.", most=5)):
        TripFactory(helper=newbie, capacity=6)


def test_cancelling_a_trip_puts_unbought_lists_back_on_the_open_list(anna, bernd, carla):
    trip = TripFactory(helper=bernd)
    first = services.trip_join(trip=trip, acting_user=anna, items="Milch")
    second = services.trip_join(trip=trip, acting_user=carla, items="Brot")
    services.errand_request_mark_bought(errand=second, acting_user=bernd)

    services.trip_cancel(trip=trip, acting_user=bernd)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.helper, first.trip) == ("open", None, None)
    assert second.status == "bought"  # already bought: Bernd still brings it
    assert trip not in selectors.trip_list_upcoming()


def test_trips_for_the_viewers_village_come_first(anna, bernd, carla, villages):
    far = TripFactory(helper=carla, ortsgemeinden=[villages["elkenroth"]], departure_at=soon(3))
    near = TripFactory(helper=bernd, ortsgemeinden=[villages["kausen"]], departure_at=soon(30))
    everywhere = TripFactory(helper=carla, departure_at=soon(40))
    trips = selectors.trip_list_upcoming(viewer=anna, home_ortsgemeinde_id=villages["kausen"].pk)
    assert trips == [near, everywhere, far]
