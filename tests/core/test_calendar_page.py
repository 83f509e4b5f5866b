"""The town calendar page /kalender/: every source in a month and a list view, filters, fixed queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.calendar import TOWN_TZ
from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
from tests.core.calendar_fake import fake_calendar_module, make_fake_source  # noqa: F401
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.calendar_factories import OfficeHourFactory

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return datetime.datetime.now(TOWN_TZ).date()


@pytest.fixture
def calendar_town(town_a, fake_calendar_module):  # noqa: F811
    with schema_context(town_a.schema_name):
        nord = OrtsgemeindeFactory(name="Nord", slug="nord")
        OrtsgemeindeFactory(name="Süd", slug="sued")
        resident = UserFactory(email="maria@example.org", name="Maria", ortsgemeinde=nord)
        OfficeHourFactory(title="Bürgerbüro", weekday=1)
    fake_calendar_module(make_fake_source(village_id=nord.pk, owner_email="maria@example.org"))
    return town_a, resident


def _month_of(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def test_the_list_view_merges_every_source_and_shows_a_series_on_each_of_its_days(calendar_town):
    town, _resident = calendar_town
    client = TownClient(host_of(town))
    festival = _today() + datetime.timedelta(days=10)
    page = client.get(f"/kalender/?ansicht=liste&monat={_month_of(festival)}&ort=alle").content.decode()
    assert "Dorffest" in page  # the fake source (three days, all day)
    assert "Bürgerbüro" in page  # the town's office hours, every Tuesday
    # The two-day festival is listed on both of its days.
    assert page.count("Dorffest") >= (2 if festival.month == (festival + datetime.timedelta(days=1)).month else 1)


def test_a_resident_sees_their_village_first_and_the_source_filter_narrows(calendar_town):
    town, resident = calendar_town
    client = logged_in_client(town, resident)
    month = _month_of(_today() + datetime.timedelta(days=1))
    mine = client.get(f"/kalender/?ansicht=liste&monat={month}").content.decode()
    assert "Chorprobe" in mine  # Nord's rehearsal, since Maria lives in Nord
    only_office = client.get(f"/kalender/?ansicht=liste&monat={month}&quelle=sprechzeiten").content.decode()
    assert "Bürgerbüro" in only_office and "Chorprobe" not in only_office
    sued = client.get(f"/kalender/?ansicht=liste&monat={month}&ort=sued").content.decode()
    assert "Chorprobe" not in sued and "Bürgerbüro" in sued


def test_the_month_view_has_whole_weeks_and_marks_cancelled_entries(calendar_town):
    town, _resident = calendar_town
    market = _today() + datetime.timedelta(days=3)
    page = TownClient(host_of(town)).get(f"/kalender/?monat={_month_of(market)}&ort=alle").content.decode()
    assert page.count('class="calendar-day') % 7 == 0
    assert 'class="calendar-cancelled">Wochenmarkt fällt aus' in page


def test_a_nonsense_month_shows_this_month(calendar_town):
    town, _resident = calendar_town
    response = TownClient(host_of(town)).get("/kalender/?monat=13-2026&ansicht=<script>&quelle=x")
    assert response.status_code == 200
    assert _today().strftime("%Y") in response.content.decode()


def test_the_month_view_costs_the_same_queries_however_many_office_hours(calendar_town, pages_rendered):
    town, _resident = calendar_town
    client = TownClient(host_of(town))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kalender/?ort=alle").status_code == 200
        return len(queries)

    count()
    small = count()
    with schema_context(town.schema_name):
        for weekday in range(5):
            OfficeHourFactory(title=f"Sprechstunde {weekday}", weekday=weekday)
    count()  # the town profile's cache was emptied by the new office hours
    assert count() == small
