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
from modules.rides.models import BusBooking, BusLine, BusStopTime, BusTrip, LineSource, Stop

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


# --- seat bookings ----------------------------------------------------------------------------

MAX_SEATS_PER_BOOKING = 8


def may_dispatch(user: Any, line: BusLine) -> bool:
    """The town's admins and the line's dispatchers (the Bürgerbus-Verein's phone) take bookings."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user_passes(user, "town_admin") or line.dispatchers.filter(pk=user.pk).exists()


def _peak(sections: Iterable[tuple[int, int, int]], first: int = 0, last: int = 10**6) -> int:
    """The most seats taken at once between stop sequences `first` and `last`, from (from, to, seats)."""
    live = [(start, end, seats) for start, end, seats in sections if start < last and end > first]
    cuts = {first, *(start for start, _end, _seats in live if start > first)}
    return max((sum(seats for start, end, seats in live if start <= cut < end) for cut in cuts), default=0)


def _occupied(trip: BusTrip, day: datetime.date, first: int, last: int) -> int:
    """The most seats taken on any section of the route between stop sequences `first` and `last`."""
    return _peak(BusBooking.objects.filter(trip=trip, day=day, is_cancelled=False, from_sequence__lt=last,
                                           to_sequence__gt=first).values_list("from_sequence", "to_sequence", "seats"),
                 first, last)


def seats_free(*, trip: BusTrip, day: datetime.date, from_sequence: int = 0, to_sequence: int | None = None) -> int:
    last = to_sequence if to_sequence is not None else 10**6
    return max(0, trip.line.seats - _occupied(trip, day, from_sequence, last))


@transaction.atomic
def booking_create(*, acting_user: Any, trip: BusTrip, day: datetime.date, from_stop: Stop, to_stop: Stop,
                   seats: int = 1, name: str = "", phone: str = "", note: str = "",
                   now: datetime.datetime | None = None) -> BusBooking:
    """A seat on a journey. A dispatcher enters a phone booking (name, phone); a resident books their own.

    The trip's row is locked while seats are counted, so two people can't both get the last seat.
    """
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    trip = BusTrip.objects.select_for_update().select_related("line").get(pk=trip.pk)
    line = trip.line
    dispatcher = may_dispatch(acting_user, line)
    if line.seats == 0:
        raise ValidationError(_("Seats on this line can't be booked here. Please call the number on the timetable."))
    calls = {st.stop_id: st for st in trip.stop_times.all()}
    boarding, alighting = calls.get(from_stop.pk), calls.get(to_stop.pk)
    errors: dict[str, Any] = {}
    if boarding is None or alighting is None or boarding.sequence >= alighting.sequence:
        errors["to_stop"] = _("This journey doesn't go from %(start)s to %(end)s.") % {
            "start": from_stop.name, "end": to_stop.name}
    if not trip.runs_on(day):
        errors["day"] = _("This journey doesn't run on %(day)s.") % {"day": day.strftime("%d.%m.%Y")}
    elif boarding is not None:
        departs = timezone.make_aware(datetime.datetime.combine(day, datetime.time())) + datetime.timedelta(
            minutes=boarding.minute)
        if departs <= (now or timezone.now()):
            errors["day"] = _("This journey has already left.")
    if not 1 <= seats <= min(MAX_SEATS_PER_BOOKING, line.seats):
        errors["seats"] = _("Please book between 1 and %(max)s seats.") % {
            "max": min(MAX_SEATS_PER_BOOKING, line.seats)}
    name = name.strip() if dispatcher else acting_user.get_full_name()
    if not name:
        errors["name"] = _("Please give the passenger's name.")
    if errors:
        raise ValidationError(errors)
    assert boarding is not None and alighting is not None
    if seats > seats_free(trip=trip, day=day, from_sequence=boarding.sequence, to_sequence=alighting.sequence):
        raise ValidationError({"seats": _("Not enough seats are free on this journey any more.")})
    return BusBooking.objects.create(
        trip=trip, day=day, from_stop=from_stop, to_stop=to_stop, from_sequence=boarding.sequence,
        to_sequence=alighting.sequence, seats=seats, name=name[:80], phone=(phone.strip() if dispatcher else "")[:30],
        note=note.strip()[:200], passenger=None if dispatcher else acting_user, entered_by=acting_user)


def booking_cancel(*, acting_user: Any, booking: BusBooking) -> None:
    """The passenger, the line's dispatchers or the town cancel; the seat is free again at once."""
    if booking.passenger_id != getattr(acting_user, "pk", None) and not may_dispatch(acting_user, booking.trip.line):
        raise PermissionDenied
    BusBooking.objects.filter(pk=booking.pk).update(is_cancelled=True)


@transaction.atomic
def line_settings_update(*, acting_user: Any, line: BusLine, seats: int, dispatcher_emails: Iterable[str]) -> BusLine:
    """Seats per journey and who may take phone bookings (people with an account in the town)."""
    from django.contrib.auth import get_user_model

    if not user_passes(acting_user, "town_admin"):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if not 0 <= seats <= 60:
        errors["seats"] = _("Please give between 0 and 60 seats.")
    emails = [e.strip().lower() for e in dispatcher_emails if e.strip()]
    people = list(get_user_model().objects.filter(email__in=emails, is_active=True))
    unknown = sorted(set(emails) - {p.email.lower() for p in people})
    if unknown:
        errors["dispatchers"] = _("Nobody in this town has the address %(emails)s. The person must register first.") % {
            "emails": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    line.seats = seats
    line.save(update_fields=["seats"])
    line.dispatchers.set(people)
    return line


# --- reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Journey:
    """One journey of a line on a day, with its bookings (the dispatcher's list)."""

    trip: BusTrip
    departs: datetime.datetime
    stops: list[BusStopTime]
    bookings: list[BusBooking]
    free: int


def journeys_on(*, line: BusLine, day: datetime.date) -> list[Journey]:
    """The line's journeys on `day` with their stops, bookings and free seats: three queries."""
    trips = [t for t in line.trips.all() if t.runs_on(day)]
    times: dict[int, list[BusStopTime]] = {}
    for stop_time in BusStopTime.objects.filter(trip__in=trips).select_related("stop").order_by("trip_id", "sequence"):
        times.setdefault(stop_time.trip_id, []).append(stop_time)
    bookings: dict[int, list[BusBooking]] = {}
    for booking in BusBooking.objects.filter(trip__in=trips, day=day).select_related("from_stop", "to_stop"):
        bookings.setdefault(booking.trip_id, []).append(booking)
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    found = []
    for trip in trips:
        stops = times.get(trip.pk, [])
        if not stops:
            continue
        taken = bookings.get(trip.pk, [])
        peak = _peak((b.from_sequence, b.to_sequence, b.seats) for b in taken if not b.is_cancelled)
        found.append(Journey(trip=trip, departs=midnight + datetime.timedelta(minutes=stops[0].minute), stops=stops,
                             bookings=taken, free=max(0, line.seats - peak)))
    found.sort(key=lambda j: j.departs)
    return found


def bookings_of(user: Any, *, today: datetime.date | None = None) -> list[BusBooking]:
    """A resident's own coming seat bookings."""
    return list(BusBooking.objects.filter(passenger=user, is_cancelled=False, day__gte=today or timezone.localdate())
                .select_related("trip__line", "from_stop", "to_stop"))



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


# A bench rarely is the bus stop itself: the stops a person walks to in a few minutes count.
NEAR_BENCH_KM = 0.4


def stops_near(stop: Stop, *, km: float = NEAR_BENCH_KM) -> list[Stop]:
    """`stop` and the stops within `km` of it (a bounding box in SQL, the exact distance here)."""
    from modules.rides.geo import straight_km

    lat_deg, lon_deg = km / 111.0, km / 70.0  # degrees of latitude/longitude at about 50° N
    box = Stop.objects.filter(latitude__range=(stop.latitude - lat_deg, stop.latitude + lat_deg),
                              longitude__range=(stop.longitude - lon_deg, stop.longitude + lon_deg))
    return [s for s in box if s.pk == stop.pk or straight_km(s.point, stop.point) <= km]


def next_departures_near(*, stop: Stop, now: datetime.datetime | None = None, limit: int = 5) -> list[Departure]:
    """The next buses from `stop` or a stop a short walk away (the Mitfahrbank page and sign): two queries."""
    return departures(_times(stop__in=stops_near(stop)), now=now, limit=limit)


def weekly_timetable_near(stop: Stop) -> list[dict[str, Any]]:
    """Per line, stop and direction the departure times by weekday pattern, for a printed sign."""
    from django.utils.formats import date_format

    rows: dict[tuple[str, str, str, str], list[str]] = {}
    monday = datetime.date(2024, 1, 1)  # only its weekday names are used
    for stop_time in _times(stop__in=stops_near(stop)):
        trip = stop_time.trip
        if not trip.weekdays:
            continue  # single dates only: nothing to print for weeks ahead
        days = ", ".join(date_format(monday + datetime.timedelta(days=int(d)), "D") for d in trip.weekdays)
        key = (trip.line.name, stop_time.stop.name, trip.headsign, days)
        rows.setdefault(key, []).append(stop_time.clock)
    return [{"line": line, "stop": stop_name, "headsign": headsign, "days": days, "times": times}
            for (line, stop_name, headsign, days), times in sorted(rows.items())]


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
    trip: BusTrip
    from_stop: Stop
    to_stop: Stop

    @property
    def bookable(self) -> bool:
        return self.line.seats > 0


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
                   arrives=midnight + datetime.timedelta(minutes=stop_time.minute), line=board.trip.line,
                   trip=board.trip, from_stop=from_stop, to_stop=to_stop)
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
