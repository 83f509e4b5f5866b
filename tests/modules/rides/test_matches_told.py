"""People are told about matches: a new offer tells fitting requesters and saved searches, a new request
tells the drivers it fits; each once."""

from __future__ import annotations

import datetime

import pytest

from modules.rides import services
from tests.accounts.factories import UserFactory
from tests.modules.rides.factories import RideFactory
from tests.modules.rides.helpers import next_weekday


@pytest.fixture
def told(monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(services, "_tell", lambda **kw: sent.append(kw) if kw["user_ids"] else None)
    return sent


def test_a_new_offer_tells_the_requests_it_fits_and_saved_searches(stops, driver, passenger, told):
    RideFactory(person=passenger, kind="request", from_stop=stops["kausen"], to_stop=stops["betzdorf"],
                date=next_weekday(1), time=datetime.time(7, 30))
    tuesday_fan = UserFactory(email="dienstag@example.org")
    saturday_fan = UserFactory(email="samstag@example.org")
    wrong_way = UserFactory(email="andersrum@example.org")
    services.saved_search_create(acting_user=tuesday_fan, to_stop=stops["betzdorf"], weekday=1)
    services.saved_search_create(acting_user=saturday_fan, to_stop=stops["betzdorf"], weekday=5)
    services.saved_search_create(acting_user=wrong_way, from_stop=stops["betzdorf"], to_stop=stops["kausen"])
    told.clear()

    offer = RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                        weekdays=[0, 1, 2, 3, 4], time=datetime.time(7, 15))

    by_event = {n["event"]: n for n in told}
    assert by_event["rides.match"]["user_ids"] == [passenger.pk]
    assert by_event["rides.match"]["topic"] == "rides.matches"
    assert sorted(by_event["rides.saved_search"]["user_ids"]) == [tuesday_fan.pk]
    assert all(n["url"] == offer.get_absolute_url() for n in told)


def test_a_new_request_tells_the_drivers_it_fits(stops, driver, passenger, told):
    RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"], weekdays=[1],
                time=datetime.time(7, 15))
    RideFactory(person=UserFactory(email="west@example.org"), from_stop=stops["gebhardshain"],
                to_stop=stops["scheuerfeld"], weekdays=[1], time=datetime.time(7, 15))
    told.clear()
    RideFactory(person=passenger, kind="request", from_stop=stops["kausen"], to_stop=stops["betzdorf"],
                date=next_weekday(1), time=datetime.time(7, 30))
    assert [n["user_ids"] for n in told] == [[driver.pk]]
