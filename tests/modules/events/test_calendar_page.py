"""The town calendar /kalender/ with events: week view, "Heute"/"Dieses Wochenende", category and organisation
filters (the sources' facets), and a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.calendar import TOWN_TZ
from modules.events.models import Category
from tests.modules.events.factories import EventFactory, at

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return datetime.datetime.now(TOWN_TZ).date()


def _next_monday() -> datetime.date:
    today = _today()
    return today + datetime.timedelta(days=7 - today.weekday())


def test_the_week_view_shows_seven_days_and_pages_by_week(in_town_a, client_a):
    monday = _next_monday()
    EventFactory(title="Skatabend", starts_at=at(monday + datetime.timedelta(days=2), 20),
                 ends_at=at(monday + datetime.timedelta(days=2), 23))
    EventFactory(title="Frühschoppen", starts_at=at(monday + datetime.timedelta(days=9), 11),
                 ends_at=at(monday + datetime.timedelta(days=9), 13))
    page = client_a.get(f"/kalender/?ansicht=woche&tag={monday:%Y-%m-%d}&ort=alle").content.decode()
    assert "Skatabend" in page and "Frühschoppen" not in page
    assert page.count('class="calendar-week-day') == 7
    assert f"tag={monday + datetime.timedelta(days=7):%Y-%m-%d}" in page  # next week
    following = client_a.get(f"/kalender/?ansicht=woche&tag={monday + datetime.timedelta(days=8):%Y-%m-%d}"
                              "&ort=alle").content.decode()
    assert "Frühschoppen" in following and "Skatabend" not in following
    # A nonsense day shows this week, no error.
    assert client_a.get("/kalender/?ansicht=woche&tag=31.02.").status_code == 200


def test_today_and_this_weekend(in_town_a, client_a):
    today = _today()
    # A day of this week's weekend still to come (on a Sunday: today).
    saturday = max(today + datetime.timedelta(days=5 - today.weekday()), today)
    EventFactory(title="Wochenmarkt heute", starts_at=at(today, 23, 0), ends_at=at(today, 23, 30))
    EventFactory(title="Samstagskonzert", starts_at=at(saturday, 20), ends_at=at(saturday, 22))
    EventFactory(title="Übernächste Woche", starts_at=at(today + datetime.timedelta(days=15), 20),
                 ends_at=at(today + datetime.timedelta(days=15), 22))
    now = client_a.get("/kalender/?zeitraum=heute&ort=alle").content.decode()
    assert "Wochenmarkt heute" in now and "Übernächste Woche" not in now
    weekend = client_a.get("/kalender/?zeitraum=wochenende&ort=alle").content.decode()
    assert "Samstagskonzert" in weekend and "Übernächste Woche" not in weekend


def test_category_and_organisation_filters_narrow_the_calendar(in_town_a, client_a, tus, tus_editor):
    day = _today() + datetime.timedelta(days=3)
    sport, kultur = Category.objects.get(slug="sport"), Category.objects.get(slug="kultur")
    EventFactory(title="Fußballturnier", category=sport, organisation=tus, acting_user=tus_editor,
                 starts_at=at(day, 14), ends_at=at(day, 18))
    EventFactory(title="Orgelkonzert", category=kultur, starts_at=at(day, 19), ends_at=at(day, 21))
    base = f"/kalender/?ansicht=liste&monat={day:%Y-%m}&ort=alle"
    everything = client_a.get(base).content.decode()
    assert "Fußballturnier" in everything and "Orgelkonzert" in everything
    assert 'name="kategorie"' in everything and 'value="tus-altdorf"' in everything
    by_category = client_a.get(base + "&kategorie=kultur").content.decode()
    assert "Orgelkonzert" in by_category and "Fußballturnier" not in by_category
    by_club = client_a.get(base + "&verein=tus-altdorf").content.decode()
    assert "Fußballturnier" in by_club and "Orgelkonzert" not in by_club
    # Paging keeps the filter; an unknown value is ignored.
    assert "verein=tus-altdorf" in by_club.split('rel="next"')[0].rsplit("href=", 1)[-1]
    unknown = client_a.get(base + "&kategorie=gibt-es-nicht").content.decode()
    assert "Fußballturnier" in unknown and "Orgelkonzert" in unknown


@pytest.mark.parametrize("view", ["monat", "woche"])
def test_the_calendar_costs_the_same_queries_for_3_and_30_events(in_town_a, client_a, tus, tus_editor, view,
                                                                 pages_rendered):
    path = f"/kalender/?ansicht={view}&ort=alle"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(path).status_code == 200
        return len(queries)

    sport = Category.objects.get(slug="sport")
    for n in range(3):
        EventFactory(title=f"Fest {n}", starts_at=at(_today(), 20), ends_at=at(_today(), 22))
    count()  # caches warm (town profile, module settings)
    small = count()
    for n in range(27):
        EventFactory(title=f"Training {n}", starts_at=at(_today(), 18), ends_at=at(_today(), 19),
                     rrule="FREQ=WEEKLY", category=sport, organisation=tus, acting_user=tus_editor)
    count()  # the new events emptied the cached filter choices (organisers): warm again
    assert count() == small
    assert count() == small  # with a filter too, the same number as without
