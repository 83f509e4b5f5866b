"""The public iCalendar feed: valid RFC 5545 through an icalendar round-trip, series as RRULE, VALARM."""

from __future__ import annotations

import datetime

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from modules.waste import services
from modules.waste.feeds import series_of
from modules.waste.models import Pickup
from tests.helpers import TownClient, host_of
from tests.modules.waste.helpers import english

D = datetime.date
NOW = datetime.datetime(2027, 1, 10, 12, tzinfo=datetime.UTC)


def _expand(calendar: Calendar, summary: str) -> list[datetime.date]:
    """Every date the calendar app shows for `summary`: series expanded (with EXDATE), single events added."""
    found: list[datetime.date] = []
    for event in calendar.walk("VEVENT"):
        if str(event["summary"]) != summary:
            continue
        start = event.decoded("dtstart")
        assert type(start) is datetime.date  # all day: no time zone to get wrong at the DST change
        if "rrule" in event:
            first = datetime.datetime.combine(start, datetime.time())
            rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=first)
            excluded = {d.dt for d in event["exdate"].dts} if "exdate" in event else set()
            found += [moment.date() for moment in rule if moment.date() not in excluded]
        else:
            found.append(start)
    return sorted(found)


@pytest.fixture
def imported(admin, areas, ics_file):
    waste_import = services.import_prepare_ics(acting_user=admin, data=ics_file, filename="awb.ics",
                                               areas=[areas["nord"]])
    services.import_apply(acting_user=admin, waste_import=waste_import)
    return areas["nord"]


def test_the_feed_round_trips_through_icalendar_with_the_exact_dates(imported, town_a):
    from modules.waste.feeds import area_feed

    document = area_feed(area=imported, now=NOW)
    calendar = Calendar.from_ical(document)
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    for kind in ("Restmüll", "Bioabfall", "Papier", "Gelber Sack"):
        expected = sorted(Pickup.objects.filter(area=imported, waste_type__name=kind).values_list("date", flat=True))
        assert _expand(calendar, kind) == expected, kind
    # Regular plans are one series each (plus the days holidays moved a collection to).
    series = [e for e in calendar.walk("VEVENT") if "rrule" in e]
    assert len(series) == 4
    restmuell = next(e for e in series if str(e["summary"]) == "Restmüll")
    assert restmuell["rrule"]["FREQ"] == ["WEEKLY"] and restmuell["rrule"]["INTERVAL"] == [2]
    # Across the change to summer time (28.3.2027) the Tuesday rhythm stays; 30.3. moved to 31.3.
    assert D(2027, 3, 30) in {d.dt for d in restmuell["exdate"].dts}
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids)) and all(uid.endswith(f"@{town_a.schema_name}.dorfkern") for uid in uids)


def test_the_same_feed_twice_keeps_its_uids(imported):
    from modules.waste.feeds import area_feed

    first = {str(e["uid"]) for e in Calendar.from_ical(area_feed(area=imported, now=NOW)).walk("VEVENT")}
    later = {str(e["uid"]) for e in Calendar.from_ical(area_feed(area=imported, now=NOW + datetime.timedelta(days=60)))
             .walk("VEVENT")}
    assert first == later


def test_irregular_dates_are_written_one_by_one():
    assert series_of([D(2027, 1, 5), D(2027, 2, 19), D(2027, 6, 3), D(2027, 9, 30)]) is None
    series = series_of([D(2027, 1, 5) + datetime.timedelta(weeks=2 * k) for k in range(10)])
    assert series is not None and series.every_days == 14 and not series.exdates


def test_feed_url_needs_no_login_and_offers_an_alarm_the_evening_before(imported, town_a, types):
    client = english(TownClient(host_of(town_a)))
    response = client.get(f"/waste/bereich/{imported.slug}/abfall.ics?erinnerung=19")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    alarms = [alarm for alarm in calendar.walk("VALARM")]
    assert alarms and all(alarm.decoded("trigger") == -datetime.timedelta(hours=5) for alarm in alarms)
    without = Calendar.from_ical(client.get(f"/waste/bereich/{imported.slug}/abfall.ics").content)
    assert not list(without.walk("VALARM"))
    papier = Calendar.from_ical(client.get(f"/waste/bereich/{imported.slug}/papier/abfall.ics").content)
    assert {str(e["summary"]) for e in papier.walk("VEVENT")} == {"Papier"}
    assert client.get(f"/waste/bereich/{imported.slug}/glas/abfall.ics").status_code == 404


def test_an_area_of_town_a_has_no_feed_in_town_b(imported, town_b):
    from django.db import connection

    connection.set_schema_to_public()
    response = english(TownClient(host_of(town_b))).get(f"/waste/bereich/{imported.slug}/abfall.ics")
    assert response.status_code == 404


def test_the_residents_own_area_is_in_their_personal_town_calendar(areas, types):
    from core.calendar import personal_entries, public_entries
    from tests.accounts.factories import UserFactory
    from tests.modules.waste.factories import WasteHomeFactory

    Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=D(2027, 1, 28))
    Pickup.objects.create(area=areas["nord"], waste_type=types["papier"], date=D(2027, 1, 29))
    anna = WasteHomeFactory(user=UserFactory(email="anna-kalender@example.org"), area=areas["kausen"]).user
    start = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    mine = [item.entry for item in personal_entries(anna, start, end) if item.source.key == "abfall"]
    assert [(entry.title, entry.start) for entry in mine] == [("Papier", D(2027, 1, 28))]
    # Not in the public town feed: every area's dates would flood it (each area has its own feed).
    assert not [item for item in public_entries(start, end) if item.source.key == "abfall"]
