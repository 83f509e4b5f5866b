"""The public iCalendar feed of a pickup area (optionally one waste type), RFC 5545.

A waste type whose dates are a regular series ("every second Tuesday") is written as one
event with an RRULE (and EXDATE for the weeks it doesn't come, plus single events for the
days a holiday moved it to), so calendar apps show one series; an irregular plan is written
as single dates. All-day events (VALUE=DATE), so there is no time zone to get wrong across
the change to summer time. With ``?erinnerung=<hour>`` every event carries a VALARM at that
hour the evening before.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from core.branding import town_url
from core.tenancy import connection
from modules.waste.models import Pickup, PickupArea, WasteType

SERIES_GAPS = (7, 14, 21, 28)
MIN_SERIES = 4
# A series must explain at least this share of the dates; otherwise single dates are clearer.
SERIES_SHARE = 0.75


@dataclass(frozen=True)
class Series:
    start: datetime.date
    every_days: int
    until: datetime.date
    exdates: tuple[datetime.date, ...]
    extra: tuple[datetime.date, ...]  # dates outside the series (a holiday moved the collection there)


def series_of(dates: list[datetime.date]) -> Series | None:
    """The regular series behind these dates, or None if they are not regular enough."""
    days = sorted(set(dates))
    if len(days) < MIN_SERIES:
        return None
    gaps = Counter(b.toordinal() - a.toordinal() for a, b in zip(days, days[1:], strict=False))
    gap, _count = gaps.most_common(1)[0]
    if gap not in SERIES_GAPS:
        return None
    # Anchor on the first date that the most common gap follows (the first may have been moved).
    start = next(a for a, b in zip(days, days[1:], strict=False) if (b - a).days == gap)
    start -= datetime.timedelta(days=gap) * ((start - days[0]).days // gap)
    planned: list[datetime.date] = []
    day = start
    while day <= days[-1]:
        planned.append(day)
        day += datetime.timedelta(days=gap)
    present = set(days)
    hits = [d for d in planned if d in present]
    if len(hits) < SERIES_SHARE * len(days):
        return None
    return Series(start=start, every_days=gap, until=planned[-1],
                  exdates=tuple(d for d in planned if d not in present),
                  extra=tuple(d for d in days if d not in set(planned)))


def alarm_hour(value: str | None) -> int | None:
    """The hour of the evening reminder from the query string (15-22), or None."""
    if value is None or not value.isdigit():
        return None
    hour = int(value)
    if hour == 1:
        return 18
    return hour if 15 <= hour <= 22 else None


def _event(uid: str, summary: str, start: datetime.date, *, stamp: datetime.datetime, url: str,
           location: str, hour: int | None, colour: str, series: Series | None = None):  # type: ignore[no-untyped-def]
    from icalendar import Alarm, Event, vRecur

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("location", location)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a bin day doesn't make anybody busy
    if colour:
        event.add("color", colour)  # RFC 7986; apps that don't know it ignore it
    if series is not None:
        rule = {"FREQ": "WEEKLY", "INTERVAL": series.every_days // 7, "UNTIL": series.until}
        event.add("rrule", vRecur(rule))
        if series.exdates:
            event.add("exdate", list(series.exdates))
    if hour is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        # Relative to the all-day start (midnight): 24 - hour hours before.
        alarm.add("trigger", -datetime.timedelta(hours=24 - hour))
        event.add_component(alarm)
    return event


def area_feed(*, area: PickupArea, waste_type: WasteType | None = None, hour: int | None = None,
              now: datetime.datetime | None = None) -> bytes:
    """The VCALENDAR of one area (or one of its waste types). Three queries."""
    from icalendar import Calendar

    moment = timezone.localtime(now or timezone.now())
    # Whole years (last year's only in January), so each year's series keeps its UID all year.
    this_year = moment.year
    start = datetime.date(this_year - 1 if moment.month == 1 else this_year, 1, 1)
    end = datetime.date(this_year + 1, 12, 31)
    pickups = Pickup.objects.filter(area=area, date__gte=start, date__lte=end).select_related("waste_type")
    if waste_type is not None:
        pickups = pickups.filter(waste_type=waste_type)
    by_type: dict[tuple[int, int], list[Pickup]] = defaultdict(list)
    for pickup in pickups.order_by("date"):
        by_type[(pickup.waste_type_id, pickup.date.year)].append(pickup)
    origin = town_url("/").rstrip("/")
    url = origin + area.get_absolute_url()
    schema = connection.schema_name
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Dorfkern//Abfallkalender//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Abfall {area.name}" + (f" – {waste_type.name}" if waste_type else "")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for (_kind_id, year), items in by_type.items():
        kind = items[0].waste_type
        location = area.ortsgemeinde.name
        base = f"abfall-{area.slug}-{kind.slug}"
        series = series_of([p.date for p in items])
        if series is not None:
            calendar.add_component(_event(f"{base}-{year}@{schema}.dorfkern", kind.name,
                                          series.start, stamp=stamp, url=url, location=location, hour=hour,
                                          colour=kind.colour, series=series))
            singles = list(series.extra)
        else:
            singles = [p.date for p in items]
        for day in singles:
            calendar.add_component(_event(f"{base}-{day:%Y%m%d}@{schema}.dorfkern", kind.name, day, stamp=stamp,
                                          url=url, location=location, hour=hour, colour=kind.colour))
    document: bytes = calendar.to_ical()
    return document
