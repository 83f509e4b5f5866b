"""The Bürgerbus and other regular services: the town enters a line's timetable, residents see it per stop.

A timetable is typed as it is printed: one row per stop, the stop's name, a bar, then the times of
each journey (``Elkenroth Dorfmitte | 07:15 09:15 13:15``). Each column is one journey. Departures
are worked out in the town's time zone from the journeys' weekdays; imported feeds (gtfs.py) use
the same tables.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import user_passes
from modules.rides.models import BusLine, BusStopTime, BusTrip, LineSource, Stop

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
MAX_JOURNEYS = 60


@dataclass(frozen=True)
class Departure:
    when: datetime.datetime
    line: BusLine
    headsign: str
    stop: Stop

    @property
    def clock(self) -> str:
        return timezone.localtime(self.when).strftime("%H:%M")


# --- writes -----------------------------------------------------------------------------------


def parse_timetable(text: str, stops: Iterable[Stop]) -> list[tuple[Stop, list[int]]]:
    """Rows of (stop, minutes per journey); a ValidationError names the first bad row in German."""
    by_name = {stop.name.casefold(): stop for stop in stops}
    rows: list[tuple[Stop, list[int]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if "|" not in raw:
            raise ValidationError(_("Row %(row)s: put a | between the stop and its times.") % {"row": number})
        name, times = (part.strip() for part in raw.split("|", 1))
        stop = by_name.get(name.casefold())
        if stop is None:
            raise ValidationError(_("Row %(row)s: there is no stop called “%(name)s”. Add it under "
                                    "Stops and benches first.") % {"row": number, "name": name})
        minutes: list[int] = []
        for value in times.split():
            found = _TIME.match(value)
            if not found:
                raise ValidationError(_("Row %(row)s: “%(value)s” is not a time like 07:15.")
                                      % {"row": number, "value": value})
            minutes.append(int(found.group(1)) * 60 + int(found.group(2)))
        rows.append((stop, minutes))
    if len(rows) < 2:
        raise ValidationError(_("A timetable needs at least two stops, one per row."))
    journeys = len(rows[0][1])
    if journeys == 0 or journeys > MAX_JOURNEYS:
        raise ValidationError(_("Give each stop between 1 and %(max)s times.") % {"max": MAX_JOURNEYS})
    for stop, minutes in rows:
        if len(minutes) != journeys:
            raise ValidationError(_("Every stop needs the same number of times (“%(stop)s” has %(count)s, "
                                    "the first stop %(first)s).") % {"stop": stop.name, "count": len(minutes),
                                                                     "first": journeys})
    for column in range(journeys):
        for (_stop, before), (stop, after) in zip(rows, rows[1:], strict=False):
            if after[column] < before[column]:
                raise ValidationError(_("Journey %(journey)s reaches “%(stop)s” before the stop above it.")
                                      % {"journey": column + 1, "stop": stop.name})
    return rows


@transaction.atomic
def line_create(*, acting_user: Any, name: str, operator: str = "", phone: str = "", note: str = "",
                weekdays: Iterable[int], timetable: str) -> BusLine:
    """A Bürgerbus line with its journeys; nothing is stored when any part is wrong."""
    if not user_passes(acting_user, "town_admin"):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = _("Please give the line a name.")
    days = "".join(str(d) for d in sorted(set(weekdays)) if 0 <= d <= 6)
    if not days:
        errors["weekdays"] = _("Please tick the weekdays the line runs on.")
    try:
        rows = parse_timetable(timetable, Stop.objects.all())
    except ValidationError as error:
        errors["timetable"] = error.messages
    if errors:
        raise ValidationError(errors)
    return _line_store(name=name, operator=operator, phone=phone, note=note, days=days, rows=rows)


def _line_store(*, name: str, operator: str, phone: str, note: str, days: str,
                rows: list[tuple[Stop, list[int]]]) -> BusLine:
    line = BusLine.objects.create(name=name.strip(), operator=operator.strip(), phone=phone.strip(),
                                  note=note.strip(), source=LineSource.TOWN)
    for column in range(len(rows[0][1])):
        trip = BusTrip.objects.create(line=line, weekdays=days, headsign=rows[-1][0].name)
        BusStopTime.objects.bulk_create([
            BusStopTime(trip=trip, stop=stop, sequence=index, minute=minutes[column], is_last=index == len(rows) - 1)
            for index, (stop, minutes) in enumerate(rows)
        ])
    return line


@transaction.atomic
def line_create_demo(*, name: str, operator: str, phone: str, note: str, weekdays: Iterable[int],
                     timetable: str) -> BusLine:
    """The demo's lines (no acting person: the demo loader is the installation itself)."""
    days = "".join(str(d) for d in sorted(set(weekdays)))
    return _line_store(name=name, operator=operator, phone=phone, note=note, days=days,
                       rows=parse_timetable(timetable, Stop.objects.all()))


def line_delete(*, acting_user: Any, line: BusLine) -> None:
    if not user_passes(acting_user, "town_admin"):
        raise PermissionDenied
    line.delete()


# --- reads ------------------------------------------------------------------------------------


def _times(**filters: Any) -> list[BusStopTime]:
    return list(BusStopTime.objects.filter(is_last=False, **filters).select_related("trip__line", "stop")
                .order_by("minute", "pk"))


def departures(times: list[BusStopTime], *, now: datetime.datetime | None = None,
               limit: int = 5) -> list[Departure]:
    """The next departures among `times`, from yesterday's late journeys (past midnight) onwards."""
    now = timezone.localtime(now)
    found: list[Departure] = []
    for offset in (-1, 0, 1, 2):
        day = now.date() + datetime.timedelta(days=offset)
        midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        for stop_time in times:
            when = midnight + datetime.timedelta(minutes=stop_time.minute)
            if when >= now and stop_time.trip.runs_on(day):
                found.append(Departure(when=when, line=stop_time.trip.line, headsign=stop_time.trip.headsign,
                                       stop=stop_time.stop))
    found.sort(key=lambda d: d.when)
    return found[:limit]


def next_departures(*, stop: Stop, now: datetime.datetime | None = None, limit: int = 5) -> list[Departure]:
    return departures(_times(stop=stop), now=now, limit=limit)


def next_town_departures(*, now: datetime.datetime | None = None, limit: int = 3) -> list[Departure]:
    """The next journeys of the town's own lines, from their first stop (the start page widget)."""
    return departures(_times(trip__line__source=LineSource.TOWN, sequence=0), now=now, limit=limit)


def timetable_at(*, stop: Stop, day: datetime.date) -> list[tuple[BusLine, list[BusStopTime]]]:
    """The day's departures at a stop, per line."""
    lines: dict[int, tuple[BusLine, list[BusStopTime]]] = {}
    for stop_time in _times(stop=stop):
        if stop_time.trip.runs_on(day):
            lines.setdefault(stop_time.trip.line_id, (stop_time.trip.line, []))[1].append(stop_time)
    return sorted(lines.values(), key=lambda item: item[0].name)


@dataclass(frozen=True)
class Connection:
    departs: datetime.datetime
    arrives: datetime.datetime
    line: BusLine


def connections(*, from_stop: Stop, to_stop: Stop, day: datetime.date, after: datetime.time,
                limit: int = 3) -> list[Connection]:
    """Bus journeys that call at `from_stop` and later at `to_stop` on `day`, leaving from `after` on
    (the same search as the rides): two queries."""
    boarding = {st.trip_id: st for st in _times(stop=from_stop)}
    alighting = BusStopTime.objects.filter(stop=to_stop, trip_id__in=list(boarding)).order_by("minute")
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    earliest = after.hour * 60 + after.minute
    found = [
        Connection(departs=midnight + datetime.timedelta(minutes=board.minute),
                   arrives=midnight + datetime.timedelta(minutes=stop_time.minute), line=board.trip.line)
        for stop_time in alighting
        if (board := boarding[stop_time.trip_id]).sequence < stop_time.sequence and board.minute >= earliest
        and board.trip.runs_on(day)
    ]
    found.sort(key=lambda c: c.departs)
    return found[:limit]


def line_list() -> list[BusLine]:
    return list(BusLine.objects.order_by("source", "name"))


def line_stops(line: BusLine) -> list[Stop]:
    first = line.trips.order_by("pk").first()
    if first is None:
        return []
    return [st.stop for st in first.stop_times.select_related("stop").order_by("sequence")]
