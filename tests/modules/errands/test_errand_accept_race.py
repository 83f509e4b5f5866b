"""Two neighbours press "accept" at the same moment: exactly one wins (ISOLATION T20), with real transactions."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from modules.errands import services
from modules.errands.models import ErrandEvent, ErrandRequest, ErrandStatus
from tests.accounts.factories import UserFactory
from tests.modules.errands.factories import ErrandFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_neighbours_accepting_at_once_exactly_one_wins(committed_town_a, monkeypatch):
    # given: an open request and two neighbours, each with the page open (own connection, own transaction)
    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        anna = UserFactory(email="anna-race@example.org")
        helpers = [UserFactory(email="bernd-race@example.org"), UserFactory(email="carla-race@example.org")]
        errand_id = ErrandFactory(requester=anna).pk
    connection.set_schema_to_public()

    # Whoever gets the row lock first keeps it a moment, so the other really has to wait for it.
    real_limits = services.limits_get

    def slow_limits():
        time.sleep(0.3)
        return real_limits()

    monkeypatch.setattr(services, "limits_get", slow_limits)
    start = threading.Barrier(len(helpers))
    outcome: dict[str, str] = {}

    def accept(helper) -> None:
        connection.set_tenant(town)
        try:
            stale = ErrandRequest.objects.get(pk=errand_id)  # both read it while it is open
            start.wait()
            services.errand_request_accept(errand=stale, acting_user=helper)
            outcome[helper.email] = "won"
        except ValidationError as error:
            outcome[helper.email] = " ".join(error.messages)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=accept, args=(helper,)) for helper in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    lost = _("Someone else was quicker and has already accepted this request.")
    assert sorted(outcome.values()) == sorted([lost, "won"])
    winner = next(email for email, result in outcome.items() if result == "won")
    with schema_context(town.schema_name):
        errand = ErrandRequest.objects.select_related("helper").get(pk=errand_id)
        assert errand.status == ErrandStatus.ACCEPTED
        assert errand.helper.email == winner
        assert ErrandEvent.objects.filter(request=errand, kind="accepted").count() == 1


def test_two_joins_for_the_last_place_of_a_trip_fill_it_once(committed_town_a, monkeypatch):
    # given: a trip with one place left and two neighbours joining at the same moment
    from tests.modules.errands.factories import TripFactory

    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        trip_id = TripFactory(helper=UserFactory(email="fahrer-race@example.org"), capacity=1).pk
        joiners = [UserFactory(email="dora-race@example.org"), UserFactory(email="emil-race@example.org")]
    connection.set_schema_to_public()
    real_limits = services.limits_get

    def slow_limits():
        time.sleep(0.3)
        return real_limits()

    monkeypatch.setattr(services, "limits_get", slow_limits)
    start = threading.Barrier(len(joiners))
    outcome: dict[str, str] = {}

    def join(person) -> None:
        from modules.errands.models import Trip

        connection.set_tenant(town)
        try:
            trip = Trip.objects.get(pk=trip_id)
            start.wait()
            services.trip_join(trip=trip, acting_user=person, items="Milch")
            outcome[person.email] = "joined"
        except ValidationError as error:
            outcome[person.email] = " ".join(error.messages)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=join, args=(person,)) for person in joiners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert sorted(outcome.values()) == sorted([_("This trip is full."), "joined"])
    with schema_context(town.schema_name):
        assert ErrandRequest.objects.filter(trip_id=trip_id).count() == 1
