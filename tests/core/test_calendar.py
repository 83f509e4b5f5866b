"""core.calendar on its own: a series' dates, and the iCalendar text calendar apps read."""

from __future__ import annotations

import datetime

from icalendar import Calendar

from core.calendar import TOWN_TZ, CalendarEntry, CalendarSource, SourcedEntry, ical_document, occurrences

WINTER = datetime.datetime(2027, 1, 1, tzinfo=TOWN_TZ)


def _sourced(entry: CalendarEntry) -> SourcedEntry:
    source = CalendarSource(key="probe", label="Probe")
    return SourcedEntry(source, entry, entry.start if isinstance(entry.start, datetime.datetime) else WINTER)


def test_a_weekly_series_skips_its_cancelled_dates_and_keeps_local_time_across_summer_time():
    first = datetime.datetime(2027, 3, 16, 9, 0, tzinfo=TOWN_TZ)  # a Tuesday, before the clocks change
    entry = CalendarEntry(uid="1", title="Bürgerbüro", start=first, rrule="FREQ=WEEKLY;BYDAY=TU",
                          exdates=(first + datetime.timedelta(days=7),))

    found = occurrences(entry, first, first + datetime.timedelta(days=21))

    assert [moment.date().isoformat() for moment in found] == ["2027-03-16", "2027-03-30"]
    assert {(moment.hour, moment.minute) for moment in found} == {(9, 0)}  # 9:00 in summer time too


def test_an_all_day_series_yields_dates_and_a_single_entry_only_inside_the_window():
    yearly = CalendarEntry(uid="2", title="Kirmes", start=datetime.date(2025, 8, 30), rrule="FREQ=YEARLY")
    once = CalendarEntry(uid="3", title="Einweihung", start=datetime.date(2030, 5, 1))

    assert occurrences(yearly, WINTER, WINTER + datetime.timedelta(days=365)) == [datetime.date(2027, 8, 30)]
    assert occurrences(once, WINTER, WINTER + datetime.timedelta(days=365)) == []


def test_a_one_day_all_day_entry_ends_the_next_day_and_timed_entries_come_with_their_zone(in_town_a):
    all_day = CalendarEntry(uid="4", title="Sperrmüll", start=datetime.date(2027, 2, 3))
    timed = CalendarEntry(uid="5", title="Ratssitzung", start=datetime.datetime(2027, 2, 4, 18, 0, tzinfo=datetime.UTC),
                          description="Öffentlich", location="Rathaus")

    calendar = Calendar.from_ical(ical_document([_sourced(all_day), _sourced(timed)], name="Testort"))

    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert events["Sperrmüll"]["DTEND"].dt == datetime.date(2027, 2, 4)
    start = events["Ratssitzung"]["DTSTART"]
    assert start.params["TZID"] == "Europe/Berlin" and start.dt.hour == 19  # 18:00 UTC is 19:00 in Berlin
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["X-WR-CALNAME"]) == "Testort"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_a_feed_of_only_all_day_entries_needs_no_time_zone(in_town_a):
    entry = CalendarEntry(uid="6", title="Feiertag", start=datetime.date(2027, 10, 3))

    calendar = Calendar.from_ical(ical_document([_sourced(entry)], name="Testort"))

    assert calendar.walk("VTIMEZONE") == [] and len(calendar.walk("VEVENT")) == 1
