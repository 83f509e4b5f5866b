"""N people register at once for the last K places: exactly K get one, the rest wait in order (T20)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from modules.events import services
from modules.events.models import Event, Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.modules.events.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 8
LAST_PLACES = 3


@pytest.fixture
def committed_town(town_a):
    """Town A for a transactional test; what the test commits there is removed afterwards."""
    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        Event.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()


@pytest.mark.parametrize("series", [False, True], ids=["single", "date-of-a-series"])
def test_concurrent_registrations_for_the_last_places_never_overbook(committed_town, series):
    town = committed_town
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        event = EventFactory(title="Sommerfest", registration_enabled=True, capacity=10,
                             max_places_per_registration=10, rrule="FREQ=WEEKLY" if series else "")
        # A series: the race is for the second date; the first date's places are untouched.
        day = services.first_day(event) + datetime.timedelta(days=7) if series else None
        taken_by = UserFactory(email="frueh@example.org")
        services.registration_create(event=event, acting_user=taken_by, places=10 - LAST_PLACES, day=day)
        people = [UserFactory(email=f"race{n}@example.org") for n in range(PEOPLE)]
    connection.set_schema_to_public()
    start = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def register(person: User) -> None:
        connection.set_tenant(town)
        try:
            start.wait()
            services.registration_create(event=event, acting_user=person, places=1, day=day)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        mine = Registration.objects.filter(event_id=event.pk).exclude(user=taken_by)
        confirmed = mine.filter(status=RegistrationStatus.CONFIRMED)
        waiting = list(mine.filter(status=RegistrationStatus.WAITING).order_by("waiting_since", "id"))
        assert confirmed.count() == LAST_PLACES
        assert len(waiting) == PEOPLE - LAST_PLACES
        # The waiting list's order is the order in which the locked transactions ran (ids rise with it).
        assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)

        # when: one confirmed person cancels
        promoted = services.registration_cancel(registration=confirmed.first())

        # then: exactly the first waiting person moves up, once; the event stays full, not overbooked
        assert [r.pk for r in promoted] == [waiting[0].pk]
        assert services.registration_cancel(registration=Registration.objects.get(pk=promoted[0].pk)) == [
            waiting[1]]
        assert services.places_confirmed(event, day) == 10
        if series:
            assert services.places_confirmed(event) == 0  # the first date is another date
