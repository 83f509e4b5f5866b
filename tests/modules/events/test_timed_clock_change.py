"""Timed events over a clock change (Europe/Berlin: 28 March and 31 October 2027).

An event's times are wall-clock times, as the organiser entered them: a party from Saturday 20:00 to
Sunday 04:00 ends at 04:00 even though the night has seven hours in spring and nine in autumn, and each
date of a series keeps its start and end time (as RFC 5545 DTSTART/DTEND with TZID do in calendar apps).
"""

from __future__ import annotations

import datetime

import icalendar
import pytest

from core.calendar import TOWN_TZ
from modules.events import selectors, services
from modules.events.models import Event
from tests.modules.events.factories import EventFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date
WEEK = datetime.timedelta(days=7)
# The Saturday before each switch (clocks forward on Sunday 28 March, back on Sunday 31 October).
SPRING = D(2027, 3, 27)
AUTUMN = D(2027, 10, 30)
SWITCHES = pytest.mark.parametrize("saturday", [SPRING, AUTUMN], ids=["spring", "autumn"])


def _today_is(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    moment = at(day, 10).astimezone(datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def _night(title: str, saturday: datetime.date, **fields: object) -> Event:
    """Saturday 20:00 to Sunday 04:00, as the form stores it."""
    return EventFactory(title=title, starts_at=at(saturday, 20), ends_at=at(saturday + datetime.timedelta(days=1), 4),
                        **fields)


def _api_dates(client, first: datetime.date, last: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) in the town's zone of each date the public API lists between two days."""
    data = client.get(f"/api/v1/events/occurrences/?start={first}&end={last}").json()
    return [(datetime.datetime.fromisoformat(item["start"]).astimezone(TOWN_TZ),
             datetime.datetime.fromisoformat(item["end"]).astimezone(TOWN_TZ)) for item in data["results"]]


def _ics_event(client, event: Event) -> icalendar.Event:
    return next(iter(icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/ical/").content).walk("VEVENT")))


def _feed_ends(resident, first: datetime.date, last: datetime.date) -> list[datetime.datetime]:
    """The ends, in the town's zone, of the dates in the resident's own calendar feed."""
    return [entry.end.astimezone(TOWN_TZ)  # type: ignore[union-attr]
            for entry in selectors.calendar_registrations(resident, *selectors.day_window(first, last))]


@SWITCHES
def test_a_night_event_over_the_switch_ends_at_the_time_entered(in_town_a, client_a, resident, monkeypatch, saturday):
    # given: a party from Saturday 20:00 to Sunday 04:00 over the clock change, saved by a resident
    sunday = saturday + datetime.timedelta(days=1)
    _today_is(monkeypatch, saturday - WEEK)
    party = _night("Tanz in den Mai", saturday)
    services.event_save(event=party, acting_user=resident)

    # then: the event page, the API, the .ics file and the resident's feed all end it at 04:00 on Sunday
    assert "20:00–04:00" in client_a.get(party.get_absolute_url()).content.decode()
    assert _api_dates(client_a, saturday, sunday) == [(at(saturday, 20), at(sunday, 4))]
    vevent = _ics_event(client_a, party)
    assert vevent["dtend"].params["TZID"] == "Europe/Berlin"
    assert vevent["dtend"].dt.replace(tzinfo=None) == datetime.datetime.combine(sunday, datetime.time(4))
    assert _feed_ends(resident, saturday, sunday) == [at(sunday, 4)]
    # (04:00 on that Sunday is 02:00 UTC in summer time, 03:00 UTC in winter time)
    assert at(sunday, 4).astimezone(datetime.UTC).hour == (2 if saturday == SPRING else 3)


@SWITCHES
def test_a_weekly_evening_series_keeps_its_times_on_both_sides_of_the_switch(in_town_a, client_a, resident,
                                                                               monkeypatch, saturday):
    # given: a choir rehearsal every Saturday 20:00–22:00, two dates before the switch and two after
    _today_is(monkeypatch, saturday - 2 * WEEK)
    choir = EventFactory(title="Chorprobe", starts_at=at(saturday - WEEK, 20), ends_at=at(saturday - WEEK, 22),
                         rrule="FREQ=WEEKLY;COUNT=4")
    services.event_save(event=choir, acting_user=resident, day=saturday + WEEK)

    # then: every date runs 20:00–22:00 on the wall clock
    days = [saturday - WEEK, saturday, saturday + WEEK, saturday + 2 * WEEK]
    assert _api_dates(client_a, days[0], days[-1]) == [(at(day, 20), at(day, 22)) for day in days]
    assert _feed_ends(resident, days[0], days[-1]) == [at(saturday + WEEK, 22)]
    _today_is(monkeypatch, saturday + WEEK)
    assert "20:00–22:00" in client_a.get(choir.get_absolute_url()).content.decode()


@SWITCHES
def test_a_weekly_night_series_ends_at_its_time_on_every_date(in_town_a, client_a, resident, monkeypatch, saturday):
    # given: two weekly Saturday-night discos from 20:00 to 04:00; the Disco's first night spans the
    # switch, the Jugenddisco's second
    _today_is(monkeypatch, saturday - 2 * WEEK)
    disco = _night("Disco", saturday, rrule="FREQ=WEEKLY;COUNT=3")
    _night("Jugenddisco", saturday - WEEK, rrule="FREQ=WEEKLY;COUNT=3")
    # (its text edited later: the event comes from the database, its moments in UTC)
    services.event_update(event=disco, acting_user=disco.created_by, data={"description": "Mit DJ"})
    services.event_save(event=disco, acting_user=resident, day=saturday + WEEK)

    # then: every night ends at 04:00 on its Sunday, on the API and in the resident's feed
    def night(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        return at(day, 20), at(day + datetime.timedelta(days=1), 4)

    found = _api_dates(client_a, saturday - WEEK, saturday + 3 * WEEK)
    assert found == [night(saturday - WEEK), night(saturday), night(saturday), night(saturday + WEEK),
                     night(saturday + WEEK), night(saturday + 2 * WEEK)]
    assert _feed_ends(resident, saturday, saturday + 3 * WEEK) == [night(saturday + WEEK)[1]]

    # and: on the Saturday after the switch the Disco's page says 20:00–04:00
    _today_is(monkeypatch, saturday + WEEK)
    assert "20:00–04:00" in client_a.get(disco.get_absolute_url()).content.decode()

    # and: the stored end of the series is its last night's 04:00 (lists select events by it: the start
    # page's, which begins at the current moment, would drop the last night an hour before it ends)
    disco.refresh_from_db()
    assert disco.series_ends_at == night(saturday + 2 * WEEK)[1]
