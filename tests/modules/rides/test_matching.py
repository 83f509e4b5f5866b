"""Matching on a hand-made geography of the demo's villages: a table of requests × offers.

Nauroth – Elkenroth – Kausen – Betzdorf lie on one road north; Gebhardshain and Scheuerfeld lie
west of it. Offers: a commuter Elkenroth → Betzdorf Bahnhof on weekdays 07:15 (back 17:30,
3 km detour); a one-off Gebhardshain → Betzdorf next Tuesday 08:00 (2 km); a Nauroth → Betzdorf
commuter every day 07:00 (3 km, 2 seats).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.rides import selectors
from tests.modules.rides.factories import RideFactory
from tests.modules.rides.helpers import next_weekday

TUESDAY = 1
SATURDAY = 5

# (request name, from, to, day: weekday or tuple of weekdays (regular), time, flex, seats, offers it matches)
TABLE = [
    ("on the route, on time", "kausen", "betzdorf", TUESDAY, "07:30", 30, 1, {"commuter", "nauroth"}),
    ("same ends as the commuter, regular", "elkenroth", "betzdorf", (0, 2), "07:20", 15, 1, {"commuter", "nauroth"}),
    ("wrong direction in the morning", "betzdorf", "kausen", TUESDAY, "07:30", 30, 1, set()),
    ("the way back in the evening", "betzdorf", "kausen", TUESDAY, "17:40", 30, 1, {"commuter"}),
    ("outside the commuter's detour", "gebhardshain", "betzdorf", TUESDAY, "07:40", 30, 1, {"oneoff"}),
    ("wrong weekday for the commuter", "kausen", "betzdorf", SATURDAY, "07:30", 30, 1, {"nauroth"}),
    ("time window missed", "kausen", "betzdorf", TUESDAY, "09:30", 30, 1, set()),
    ("more seats than any car has", "kausen", "betzdorf", TUESDAY, "07:30", 30, 4, set()),
    ("too early for the one-off, Wednesday", "gebhardshain", "betzdorf", 2, "08:00", 30, 1, set()),
    ("Scheuerfeld lies on the one-off's way in", "scheuerfeld", "betzdorf", TUESDAY, "07:30", 60, 1, {"oneoff"}),
    ("Scheuerfeld, but too early for it", "scheuerfeld", "betzdorf", TUESDAY, "07:00", 30, 1, set()),
]


@pytest.fixture
def offers(stops, driver):
    from tests.accounts.factories import UserFactory

    return {
        "commuter": RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                                weekdays=[0, 1, 2, 3, 4], time=datetime.time(7, 15),
                                return_time=datetime.time(17, 30), detour_km=3, seats=3),
        "oneoff": RideFactory(person=UserFactory(email="gerd@example.org"), from_stop=stops["gebhardshain"],
                              to_stop=stops["betzdorf"], date=next_weekday(TUESDAY), time=datetime.time(8, 0),
                              detour_km=2, seats=3),
        "nauroth": RideFactory(person=UserFactory(email="nora@example.org"), from_stop=stops["nauroth"],
                               to_stop=stops["betzdorf"], weekdays=list(range(7)), time=datetime.time(7, 0),
                               detour_km=3, seats=2),
    }


def _request(stops, passenger, origin, destination, day, at, flex, seats):
    hour, minute = map(int, at.split(":"))
    when = {"weekdays": list(day)} if isinstance(day, tuple) else {"date": next_weekday(day)}
    return RideFactory(person=passenger, kind="request", from_stop=stops[origin], to_stop=stops[destination],
                       time=datetime.time(hour, minute), flex_minutes=flex, seats=seats, **when)


def test_each_request_finds_exactly_the_offers_it_fits(stops, passenger, offers):
    names = {offer.pk: name for name, offer in offers.items()}
    for label, origin, destination, day, at, flex, seats, expected in TABLE:
        request = _request(stops, passenger, origin, destination, day, at, flex, seats)
        found = {names[m.offer.pk] for m in selectors.offers_matching(request)}
        assert found == expected, label


def test_the_same_pairs_match_from_the_offers_side(stops, passenger, offers):
    requests = {label: _request(stops, passenger, *row[:6]) for label, *row in TABLE}
    for name, offer in offers.items():
        found = {m.request.pk for m in selectors.requests_matching(offer)}
        expected = {requests[label].pk for label, *row in TABLE if name in row[-1]}
        assert found == expected, name


def test_the_evening_match_uses_the_way_back_with_its_pickup_time(stops, passenger, offers):
    request = _request(stops, passenger, "betzdorf", "kausen", TUESDAY, "17:40", 30, 1)
    (found,) = selectors.offers_matching(request)
    assert found.is_return and found.pickup_at == datetime.time(17, 30)


def test_matching_costs_one_query_however_many_offers(stops, passenger, offers, driver):
    request = _request(stops, passenger, "kausen", "betzdorf", TUESDAY, "07:30", 30, 1)
    with CaptureQueriesContext(connection) as few:
        selectors.offers_matching(request)
    for _ in range(10):
        RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                    date=next_weekday(TUESDAY), time=datetime.time(7, 10))
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.offers_matching(request)) == 12
    assert _selects(few) == _selects(many) == 1


def _selects(context: CaptureQueriesContext) -> int:
    return len([q for q in context.captured_queries if not q["sql"].startswith("SET ")])


def test_nobody_is_matched_with_their_own_offer(stops, driver, offers):
    request = _request(stops, driver, "kausen", "betzdorf", TUESDAY, "07:30", 30, 1)
    assert "commuter" not in {m.offer.person_id for m in selectors.offers_matching(request)}
    assert all(m.offer.person_id != driver.pk for m in selectors.offers_matching(request))
