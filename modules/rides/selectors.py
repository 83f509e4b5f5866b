"""Reads of Mitfahren, among them the matching: an indexed bounding-box prefilter, then the exact check.

A request matches an offer when the offer's route, driven start → pickup → drop-off → end,
is at most the driver's accepted detour longer than start → end (straight line × road factor),
the pickup comes before the drop-off along the offer's direction, the offer runs on the
request's day (a regular offer on its weekdays) and reaches the pickup within the request's
time window. An offer with a return time is also a ride back (end → start) at that time.
Each function here costs a fixed number of queries whatever the number of rides.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.cached_lists import CachedList
from modules.rides.geo import KM_PER_MINUTE, Point, detour_km, position_along, road_km
from modules.rides.models import (
    ACTIVE_BOOKING,
    BenchRequest,
    BenchWatch,
    Booking,
    BookingStatus,
    Ride,
    RideKind,
    RideStatus,
    SavedSearch,
    Stop,
)
from town.models import Ortsgemeinde

# Rounding of the geometry: a stop exactly on the route must not miss by a floating-point hair.
EPSILON_KM = 0.05
# The longest drive from an offer's start to a pickup the time prefilter allows for (96 road km: any
# route within a Verbandsgemeinde and its neighbours).
MAX_DRIVE_MINUTES = 120


@dataclass(frozen=True)
class Match:
    offer: Ride
    request: Ride
    detour_km: float
    pickup_at: datetime.time
    is_return: bool


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def _days_fit(offer: Ride, request: Ride) -> bool:
    if offer.date is not None and request.date is not None:
        return offer.date == request.date
    if offer.date is None and request.date is None:
        return bool(set(offer.weekdays) & set(request.weekdays))
    if offer.date is None:
        return request.date is not None and request.date.weekday() in offer.weekday_list
    return offer.date.weekday() in request.weekday_list


def match(offer: Ride, request: Ride) -> Match | None:
    """The exact check of one offer against one request (no queries): the Match, or None."""
    if offer.person_id == request.person_id or request.seats > offer.seats or not _days_fit(offer, request):
        return None
    pickup, dropoff = request.start, request.end
    legs = [(offer.start, offer.end, offer.time, False)]
    if offer.return_time is not None:
        legs.append((offer.end, offer.start, offer.return_time, True))
    for start, end, leaves, is_return in legs:
        extra = detour_km(start, end, pickup, dropoff)
        if extra > offer.detour_km + EPSILON_KM:
            continue
        if position_along(start, end, pickup) >= position_along(start, end, dropoff):
            continue  # the wrong way: the car passes the drop-off before the pickup
        at = _minutes(leaves) + round(road_km(start, pickup) / KM_PER_MINUTE)
        if abs(at - _minutes(request.time)) > request.flex_minutes:
            continue
        at %= 24 * 60
        return Match(offer=offer, request=request, detour_km=round(extra, 1),
                     pickup_at=datetime.time(at // 60, at % 60), is_return=is_return)
    return None


def _upcoming() -> Q:
    """Rides still ahead: regular ones, and one-offs from today on (today's past ones drop out in match lists)."""
    return Q(date__isnull=True) | Q(date__gte=timezone.localdate())


def _public() -> QuerySet[Ride]:
    return (Ride.objects.filter(status=RideStatus.OPEN, is_hidden=False)
            .select_related("from_stop", "to_stop", "person"))


def _containing(point: Point) -> Q:
    return Q(min_lat__lte=point.lat, max_lat__gte=point.lat, min_lon__lte=point.lon, max_lon__gte=point.lon)


def offers_matching(request: Ride) -> list[Match]:
    """Open offers that can take this request, best (least detour) first: one query."""
    offers = _public().filter(_containing(request.start), _containing(request.end), _upcoming(),
                              kind=RideKind.OFFER).exclude(person_id=request.person_id)
    if request.date is not None:
        offers = offers.filter(Q(date=request.date) | Q(date__isnull=True,
                                                         weekdays__contains=str(request.date.weekday())))
    offers = offers.filter(_leaves_in_time(request))
    found = [m for m in (match(offer, request) for offer in offers) if m is not None]
    return sorted(found, key=lambda m: (m.detour_km, m.offer.pk))


def _leaves_in_time(request: Ride) -> Q:
    """Offers that can reach the pickup within the request's window: they leave (or return) at most
    MAX_DRIVE_MINUTES before its earliest and not after its latest minute. Windows across midnight: no filter."""
    earliest = _minutes(request.time) - request.flex_minutes - MAX_DRIVE_MINUTES
    latest = _minutes(request.time) + request.flex_minutes
    if earliest < 0 or latest >= 24 * 60:
        return Q()
    window = (datetime.time(earliest // 60, earliest % 60), datetime.time(latest // 60, latest % 60))
    return Q(time__range=window) | Q(return_time__range=window)


def _inside(prefix: str, offer: Ride) -> Q:
    return Q(**{f"{prefix}_lat__gte": offer.min_lat, f"{prefix}_lat__lte": offer.max_lat,
                f"{prefix}_lon__gte": offer.min_lon, f"{prefix}_lon__lte": offer.max_lon})


def requests_matching(offer: Ride) -> list[Match]:
    """Open requests this offer can take: one query (requests whose both ends lie in the offer's box)."""
    requests = _public().filter(_inside("from", offer), _inside("to", offer), _upcoming(),
                                kind=RideKind.REQUEST).exclude(person_id=offer.person_id)
    if offer.date is not None:
        requests = requests.filter(Q(date=offer.date) | Q(date__isnull=True,
                                                           weekdays__contains=str(offer.date.weekday())))
    found = [m for m in (match(offer, request) for request in requests) if m is not None]
    return sorted(found, key=lambda m: (m.detour_km, m.request.pk))



def saved_searches_matching(offer: Ride) -> list[SavedSearch]:
    """Saved searches this new offer answers: it passes their destination (and start) on their weekday."""
    searches = SavedSearch.objects.exclude(person_id=offer.person_id).select_related("from_stop", "to_stop")
    found = []
    for search in searches:
        if search.weekday is not None and not (
            (offer.date is not None and offer.date.weekday() == search.weekday)
            or (offer.date is None and search.weekday in offer.weekday_list)
        ):
            continue
        destination = search.to_stop.point
        origin = search.from_stop.point if search.from_stop else None
        legs = [(offer.start, offer.end)] + ([(offer.end, offer.start)] if offer.return_time else [])
        for start, end in legs:
            pickup = origin or destination
            if detour_km(start, end, pickup, destination) > offer.detour_km + 2 + EPSILON_KM:
                continue  # 2 km of slack: "to Betzdorf" is a place, not a doorstep
            if origin is not None and position_along(start, end, origin) >= position_along(start, end, destination):
                continue
            if position_along(start, end, destination) <= 0:
                continue
            found.append(search)
            break
    return found


# --- lists ------------------------------------------------------------------------------------


def _stops_build() -> list[Stop]:
    return list(Stop.objects.select_related("ortsgemeinde").order_by("name", "pk"))


# The stop list, the benches and every search, offer and saved-search form show the town's stops; a new
# stop or a renamed village shows on the next request.
_stops = CachedList("rides.stops", _stops_build, models=(Stop, Ortsgemeinde))


def stop_list() -> list[Stop]:
    """The town's stops by name (cached per town)."""
    return _stops.get()


def bench_list() -> list[Stop]:
    return [stop for stop in stop_list() if stop.is_bench]


def stop_get(stop_id: int) -> Stop | None:
    return Stop.objects.select_related("ortsgemeinde").filter(pk=stop_id).first()


def bench_get(stop_id: int) -> Stop | None:
    return Stop.objects.filter(pk=stop_id, is_bench=True).prefetch_related("directions").first()


def offer_list_upcoming(*, to_stop: Stop | None = None, limit: int = 50) -> list[Ride]:
    offers = _public().filter(_upcoming(), kind=RideKind.OFFER)
    if to_stop is not None:
        offers = offers.filter(_containing(to_stop.point))
    return list(offers.order_by("date", "time", "pk")[:limit])


def request_list_upcoming(*, limit: int = 50) -> list[Ride]:
    return list(_public().filter(_upcoming(), kind=RideKind.REQUEST).order_by("date", "time", "pk")[:limit])


def ride_get_visible(*, ride_id: int, user: Any) -> Ride | None:
    """A ride its owner always sees; others only while it is not hidden by the moderators."""
    ride = Ride.objects.select_related("from_stop", "to_stop", "person").filter(pk=ride_id).first()
    if ride is None:
        return None
    if ride.is_hidden and getattr(user, "pk", None) != ride.person_id:
        return None
    return ride


def seats_taken(*, ride: Ride, days: Iterable[datetime.date]) -> dict[datetime.date, int]:
    rows = (Booking.objects.filter(ride=ride, day__in=list(days), status__in=ACTIVE_BOOKING)
            .values("day").annotate(taken=Sum("seats")))
    return {row["day"]: int(row["taken"] or 0) for row in rows}


def booking_list_for_ride(*, ride: Ride) -> list[Booking]:
    return list(Booking.objects.filter(ride=ride, day__gte=timezone.localdate())
                .select_related("passenger").order_by("day", "pk"))


def booking_get_for(*, booking_id: int, user: Any) -> Booking | None:
    """A booking its passenger or its driver may open; anyone else: None (404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Booking.objects.select_related("ride__from_stop", "ride__to_stop", "ride__person", "passenger")
            .filter(pk=booking_id).filter(Q(passenger=user) | Q(ride__person=user)).first())


def rides_of(*, user: Any) -> list[Ride]:
    return list(Ride.objects.filter(person=user).exclude(status=RideStatus.CANCELLED)
                .filter(_upcoming()).select_related("from_stop", "to_stop")
                .annotate(open_bookings=Count("bookings", filter=Q(bookings__status=BookingStatus.PENDING)))
                .order_by("date", "time", "pk"))


def bookings_of(*, user: Any) -> list[Booking]:
    return list(Booking.objects.filter(passenger=user, day__gte=timezone.localdate())
                .select_related("ride__from_stop", "ride__to_stop", "ride__person").order_by("day", "pk"))


def saved_searches_of(*, user: Any) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(person=user).select_related("from_stop", "to_stop"))


def bench_watches_of(*, user: Any) -> set[int | None]:
    return set(BenchWatch.objects.filter(person=user).values_list("bench_id", flat=True))


def bench_requests_waiting(*, bench: Stop | None = None) -> list[BenchRequest]:
    waiting = BenchRequest.objects.filter(expires_at__gt=timezone.now(), driver__isnull=True, is_cancelled=False)
    if bench is not None:
        waiting = waiting.filter(bench=bench)
    return list(waiting.select_related("bench", "direction").order_by("created_at", "pk")[:50])


def bench_request_by_token(token: str) -> BenchRequest | None:
    return BenchRequest.objects.select_related("bench", "direction", "driver").filter(token=token).first()


def bench_watchers(*, bench: Stop) -> list[int]:
    """Drivers who opted in for this bench or for every bench."""
    return sorted(set(BenchWatch.objects.filter(Q(bench=bench) | Q(bench__isnull=True))
                      .filter(person__is_active=True).values_list("person_id", flat=True)))


# --- contract: calendar, map -------------------------------------------------------------------


def calendar_bookings(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[Any]:
    """A person's confirmed rides, as passenger or as driver, for their own calendar feed."""
    if not getattr(user, "is_authenticated", False):
        return []
    bookings = (Booking.objects.filter(Q(passenger=user) | Q(ride__person=user), status=BookingStatus.CONFIRMED,
                                       day__gte=timezone.localtime(start).date(),
                                       day__lte=timezone.localtime(end).date())
                .select_related("ride__from_stop", "ride__to_stop", "ride__person", "passenger"))
    return [booking_calendar_entry(booking, viewer=user) for booking in bookings]


def booking_calendar_entry(booking: Booking, *, viewer: Any) -> Any:
    from django.utils.translation import gettext as _

    from core.calendar import CalendarEntry

    ride = booking.ride
    minutes = max(15, round(road_km(ride.start, ride.end) / KM_PER_MINUTE))
    departure = booking.departure
    if viewer.pk == booking.passenger_id:
        title = _("Ride with %(name)s: %(route)s") % {"name": ride.person.get_short_name(), "route": str(ride)}
        role = "p"
    else:
        title = _("Ride with %(name)s: %(route)s") % {"name": booking.passenger.get_short_name(), "route": str(ride)}
        role = "d"
    return CalendarEntry(uid=f"booking-{booking.pk}-{role}", title=title, start=departure,
                         end=departure + datetime.timedelta(minutes=minutes), location=ride.from_label,
                         path=booking.get_absolute_url(), updated_at=booking.updated_at)


def map_stops(request: Any) -> list[Any]:
    from core.maps import MAX_POINTS_PER_LAYER, MapPoint

    return [MapPoint(lat=s.latitude, lon=s.longitude, title=s.name, url=s.get_absolute_url(),
                     text=s.ortsgemeinde.name if s.ortsgemeinde else "", category=str(s.get_kind_display()))
            for s in Stop.objects.filter(is_bench=False).select_related("ortsgemeinde")[:MAX_POINTS_PER_LAYER]]


def map_benches(request: Any) -> list[Any]:
    from core.maps import MAX_POINTS_PER_LAYER, MapPoint

    return [MapPoint(lat=s.latitude, lon=s.longitude, title=s.name, url=s.get_absolute_url(),
                     text=s.ortsgemeinde.name if s.ortsgemeinde else "", category=str(s.get_kind_display()))
            for s in Stop.objects.filter(is_bench=True).select_related("ortsgemeinde")[:MAX_POINTS_PER_LAYER]]


def map_bench_requests(request: Any) -> list[Any]:
    """People waiting on a bench right now: their first name and direction only, at the bench's point."""
    from django.utils.translation import gettext as _

    from core.maps import MapPoint

    return [MapPoint(lat=r.bench.latitude, lon=r.bench.longitude,
                     title=_("%(name)s is waiting at %(bench)s") % {"name": r.name, "bench": r.bench.name},
                     url=r.bench.get_absolute_url(),
                     text=_("Direction %(direction)s") % {"direction": r.direction.name})
            for r in bench_requests_waiting()]
