"""All-day events over a clock change (Europe/Berlin: 28 March and 31 October 2027).

A day around a switch lasts 23 or 25 hours, so an all-day event's last day must come from its dates, not
from its length in hours: a resident sees the right last day on the list and on the event page, finds the
event under "Heute" on its last day, and no longer the day after.
"""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.utils import translation
from django.utils.formats import date_format

from modules.events import selectors, services
from modules.events.models import Event
from tests.modules.events.factories import EventFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
# Saturday to Monday over each switch (clocks forward on Sunday 28 March, back on Sunday 31 October).
SPRING = (D(2027, 3, 27), D(2027, 3, 29))
AUTUMN = (D(2027, 10, 30), D(2027, 11, 1))
SWITCHES = pytest.mark.parametrize("first,last", [SPRING, AUTUMN], ids=["spring", "autumn"])

_CARD = re.compile(r'<a href="[^"]*"[^>]*>([^<]+)</a></h2>\s*<p class="meta">\s*<time datetime="[^"]*">([^<]+)</time>')


def _today_is(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    moment = at(day, 10).astimezone(datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def _all_day(title: str, first: datetime.date, last: datetime.date, **fields: object) -> Event:
    starts_at, ends_at = services.all_day_bounds(first, last)
    return EventFactory(title=title, starts_at=starts_at, ends_at=ends_at, all_day=True, **fields)


def _cards(client, query: str = "") -> list[tuple[str, str]]:
    """(title, date line) of each card on the events list."""
    return _CARD.findall(client.get(f"/events/{query}").content.decode())


def _when(first: datetime.date, last: datetime.date) -> str:
    """The card's date line as a German reader expects it: "Samstag, 27. März 2027 – 29. März"."""
    with translation.override("de"):
        return f"{date_format(first, 'l, j. F Y')} – {date_format(last, 'j. F')}"


@SWITCHES
def test_a_multi_day_event_over_the_switch_ends_on_its_last_day(in_town_a, client_a, monkeypatch, first, last):
    # given: a Kirmes from Saturday to Monday over the clock change, seen a week before
    _today_is(monkeypatch, first - WEEK)
    kirmes = _all_day("Kirmes", first, last)

    # then: list and event page say Monday
    assert _cards(client_a) == [("Kirmes", _when(first, last))]
    page = client_a.get(kirmes.get_absolute_url()).content.decode()
    with translation.override("de"):
        assert f"{date_format(first, 'l, j. F Y')} – {date_format(last, 'l, j. F Y')}, ganztägig" in page

    # and: under "Heute" on the last day it is there, the day after it is not
    _today_is(monkeypatch, last)
    assert [title for title, _when_ in _cards(client_a, "?when=today")] == ["Kirmes"]
    _today_is(monkeypatch, last + DAY)
    assert _cards(client_a, "?when=today") == []


@SWITCHES
def test_a_weekly_all_day_series_has_the_right_last_day_on_every_date(in_town_a, client_a, monkeypatch, first, last):
    # given: two weekly Saturday-to-Monday markets; the Flohmarkt's second date spans the switch,
    # the Bauernmarkt's first
    _today_is(monkeypatch, first - 2 * WEEK)
    _all_day("Flohmarkt", first - WEEK, last - WEEK, rrule="FREQ=WEEKLY;COUNT=3")
    markt = _all_day("Bauernmarkt", first, last, rrule="FREQ=WEEKLY;COUNT=2")
    # (its text edited later: the event comes from the database, its moments in UTC)
    services.event_update(event=markt, acting_user=markt.created_by, data={"description": "Mit Kaffee"})

    # then: every date on the list ends on its Monday
    assert sorted(_cards(client_a)) == sorted([
        ("Flohmarkt", _when(first - WEEK, last - WEEK)),
        ("Flohmarkt", _when(first, last)),
        ("Flohmarkt", _when(first + WEEK, last + WEEK)),
        ("Bauernmarkt", _when(first, last)),
        ("Bauernmarkt", _when(first + WEEK, last + WEEK)),
    ])

    # and: on the Monday of the switch both are on today's list, on the Tuesday neither
    _today_is(monkeypatch, last)
    assert sorted(title for title, _when_ in _cards(client_a, "?when=today")) == ["Bauernmarkt", "Flohmarkt"]
    _today_is(monkeypatch, last + DAY)
    assert _cards(client_a, "?when=today") == []

    # and: on the Monday of their last dates, a week on, both are still there
    _today_is(monkeypatch, last + WEEK)
    assert sorted(title for title, _when_ in _cards(client_a, "?when=today")) == ["Bauernmarkt", "Flohmarkt"]


@SWITCHES
def test_calendar_files_end_an_all_day_event_the_day_after_its_last_day(in_town_a, client_a, resident, monkeypatch,
                                                                         first, last):
    # given: the Kirmes over the clock change, saved by a resident
    _today_is(monkeypatch, first - WEEK)
    kirmes = _all_day("Kirmes", first, last)
    services.event_save(event=kirmes, acting_user=resident)

    # then: its .ics and the resident's own calendar feed carry DATE values, DTEND exclusive (RFC 5545)
    vevent = next(iter(icalendar.Calendar.from_ical(client_a.get(f"/events/{kirmes.slug}/ical/").content)
                       .walk("VEVENT")))
    assert (vevent["dtstart"].dt, vevent["dtend"].dt) == (first, last + DAY)
    mine = selectors.calendar_registrations(resident, *selectors.day_window(first, last))
    assert [(entry.start, entry.end) for entry in mine] == [(first, last + DAY)]
