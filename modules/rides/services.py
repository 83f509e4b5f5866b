"""Every write of Mitfahren: rides, bookings, saved searches, stops and the Mitfahrbank.

Each function validates everything before it writes (a refused input stores nothing) and
tells people after the transaction commits (notifications module, or e-mail when it is off).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import user_passes
from modules.moderation.facade import activity_check, text_check
from modules.notifications.facade import notifications_enabled, notify
from modules.rides import selectors
from modules.rides.geo import ROAD_FACTOR, Point, bounding_box, straight_km
from modules.rides.models import (
    ACTIVE_BOOKING,
    BENCH_REQUEST_MINUTES,
    MAX_DETOUR_KM,
    MAX_SEATS,
    BenchRequest,
    BenchWatch,
    Booking,
    BookingStatus,
    Ride,
    RideKind,
    RideStatus,
    SavedSearch,
    Stop,
    StopKind,
)
from town.residency_services import residency_require

# A request's time window either way, at most.
MAX_FLEX_MINUTES = 180
# Start and end closer than this are "the same place".
MIN_RIDE_KM = 0.3


def _tell(*, user_ids: Iterable[int], event: str, title: str, body: str, url: str, dedupe_key: str,
          topic: str = "") -> None:
    """A notice after commit: through the notifications module, else the town's e-mail (a task)."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return
    if notifications_enabled():
        notify(user_ids=ids, event=event, title=title, body=body, url=url, dedupe_key=dedupe_key, topic=topic)
        return
    from core.outbox import outbox_enqueue

    outbox_enqueue("rides.send_notice_mail", args=[ids, title, body, url])


def _check_point(lat: float | None, lon: float | None, field: str) -> Point:
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({field: _("Please choose a stop or a point on the map.")})
    return Point(float(lat), float(lon))


def _end(stop: Stop | None, lat: float | None, lon: float | None, field: str) -> tuple[Stop | None, Point]:
    if stop is not None:
        return stop, stop.point
    return None, _check_point(lat, lon, field)


@transaction.atomic
def ride_create(
    *,
    acting_user: Any,
    kind: str,
    time: datetime.time,
    from_stop: Stop | None = None,
    from_lat: float | None = None,
    from_lon: float | None = None,
    to_stop: Stop | None = None,
    to_lat: float | None = None,
    to_lon: float | None = None,
    date: datetime.date | None = None,
    weekdays: Iterable[int] = (),
    return_time: datetime.time | None = None,
    flex_minutes: int = 30,
    seats: int = 1,
    detour_km: float = 0,
    instant_booking: bool = False,
    luggage: bool = False,
    wheelchair: bool = False,
    child_seat: bool = False,
    note: str = "",
) -> Ride:
    """Offer a ride or ask for one; validates everything first, then tells the people it matches."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    residency_require(acting_user, "rides")
    if kind not in RideKind.values:
        raise ValidationError(_("Please say whether you offer a ride or need one."))
    errors: dict[str, str] = {}
    try:
        from_stop, start = _end(from_stop, from_lat, from_lon, "from_stop")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        to_stop, end = _end(to_stop, to_lat, to_lon, "to_stop")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if not errors and straight_km(start, end) < MIN_RIDE_KM:
        errors["to_stop"] = _("Start and destination are the same place.")
    days = sorted({int(day) for day in weekdays})
    if date is None and not days:
        errors["date"] = _("Please give a date, or the weekdays of a regular ride.")
    if date is not None and days:
        errors["weekdays"] = _("A ride is either on one date or on weekdays, not both.")
    if any(day < 0 or day > 6 for day in days):
        errors["weekdays"] = _("Please choose weekdays from Monday to Sunday.")
    if date is not None and timezone.make_aware(datetime.datetime.combine(date, time)) <= timezone.now():
        errors["time"] = _("This time has already passed.")
    if not 1 <= int(seats) <= MAX_SEATS:
        errors["seats"] = _("Please give between 1 and %(max)d seats.") % {"max": MAX_SEATS}
    if kind == RideKind.OFFER and not 0 <= float(detour_km) <= MAX_DETOUR_KM:
        errors["detour_km"] = _("A detour can be at most %(max)d km.") % {"max": MAX_DETOUR_KM}
    if not 0 <= int(flex_minutes) <= MAX_FLEX_MINUTES:
        errors["flex_minutes"] = _("The time window can be at most %(max)d minutes.") % {"max": MAX_FLEX_MINUTES}
    if errors:
        raise ValidationError(errors)
    note = note.strip()
    if note:
        text_check(note)
    activity_check(user=acting_user, action="post")
    detour = float(detour_km) if kind == RideKind.OFFER else 0.0
    # The box any pickup or drop-off within the detour must lie in (see selectors: the prefilter).
    min_lat, max_lat, min_lon, max_lon = bounding_box([start, end], detour / ROAD_FACTOR + 0.1)
    ride = Ride.objects.create(
        kind=kind, person=acting_user, from_stop=from_stop, from_lat=start.lat, from_lon=start.lon,
        to_stop=to_stop, to_lat=end.lat, to_lon=end.lon, date=date, weekdays="".join(str(d) for d in days),
        time=time, return_time=return_time, flex_minutes=int(flex_minutes), seats=int(seats), detour_km=detour,
        instant_booking=bool(instant_booking) and kind == RideKind.OFFER, luggage=luggage, wheelchair=wheelchair,
        child_seat=child_seat, note=note, min_lat=min_lat, max_lat=max_lat, min_lon=min_lon, max_lon=max_lon,
    )
    _announce_matches(ride)
    return ride


def _announce_matches(ride: Ride) -> None:
    """Tell the other side of every match, and the saved searches a new offer answers."""
    url = ride.get_absolute_url()
    if ride.is_offer:
        matches = selectors.requests_matching(ride)
        for found in matches:
            _tell(user_ids=[found.request.person_id], event="rides.match",
                  title=_("A ride for your request: %(route)s") % {"route": str(ride)},
                  body=_("%(name)s offers a ride that fits your request.") % {"name": ride.person.get_short_name()},
                  url=url, dedupe_key=f"rides.match:{ride.pk}:{found.request.pk}", topic="rides.matches")
        searchers = {s.person_id for s in selectors.saved_searches_matching(ride)}
        searchers -= {found.request.person_id for found in matches}
        _tell(user_ids=sorted(searchers), event="rides.saved_search",
              title=_("New ride: %(route)s") % {"route": str(ride)},
              body=_("A new ride fits one of your saved searches."),
              url=url, dedupe_key=f"rides.saved:{ride.pk}", topic="rides.matches")
    else:
        for found in selectors.offers_matching(ride):
            _tell(user_ids=[found.offer.person_id], event="rides.match",
                  title=_("Someone needs a ride on your route: %(route)s") % {"route": str(ride)},
                  body=_("%(name)s is looking for a ride that fits your offer.") % {
                      "name": ride.person.get_short_name()},
                  url=url, dedupe_key=f"rides.match:{found.offer.pk}:{ride.pk}", topic="rides.matches")


@transaction.atomic
def ride_cancel(*, ride: Ride, acting_user: Any) -> Ride:
    """Withdraw an offer or request; everyone booked on an offer is told."""
    if getattr(acting_user, "pk", None) != ride.person_id:
        raise PermissionDenied
    ride = Ride.objects.select_for_update().get(pk=ride.pk)
    if ride.status == RideStatus.CANCELLED:
        return ride
    ride.status = RideStatus.CANCELLED
    ride.save(update_fields=["status", "updated_at"])
    bookings = list(Booking.objects.filter(ride=ride, status__in=ACTIVE_BOOKING, day__gte=timezone.localdate()))
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=BookingStatus.CANCELLED,
                                                                   cancelled_by=acting_user)
    for booking in bookings:
        _tell(user_ids=[booking.passenger_id], event="rides.cancelled",
              title=_("Your ride on %(day)s was cancelled") % {"day": booking.day.strftime("%d.%m.%Y")},
              body=_("%(name)s cannot drive this ride.") % {"name": acting_user.get_short_name()},
              url=booking.get_absolute_url(), dedupe_key=f"rides.cancelled:{booking.pk}")
    return ride


# --- bookings --------------------------------------------------------------------------------


@transaction.atomic
def booking_create(*, ride: Ride, day: datetime.date, acting_user: Any, seats: int = 1) -> Booking:
    """Ask for seats on one day of an offer; instant offers confirm at once.

    The offer's row is locked first, so two people asking for the last seat at the same
    moment are served one after the other: the second finds it taken.
    """
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    residency_require(acting_user, "rides")
    ride = Ride.objects.select_for_update().get(pk=ride.pk)
    if ride.kind != RideKind.OFFER or ride.status != RideStatus.OPEN or ride.is_hidden:
        raise ValidationError(_("This ride can no longer be booked."))
    if ride.person_id == acting_user.pk:
        raise ValidationError(_("You cannot book your own ride."))
    if not 1 <= int(seats) <= MAX_SEATS:
        raise ValidationError({"seats": _("Please give between 1 and %(max)d seats.") % {"max": MAX_SEATS}})
    if not ride.runs_on(day):
        raise ValidationError({"day": _("This ride does not take place on that day.")})
    if ride.departure_on(day) <= timezone.now():
        raise ValidationError({"day": _("This ride has already left.")})
    if Booking.objects.filter(ride=ride, day=day, passenger=acting_user, status__in=ACTIVE_BOOKING).exists():
        raise ValidationError(_("You have already booked this ride on that day."))
    taken = selectors.seats_taken(ride=ride, days=[day]).get(day, 0)
    if taken + int(seats) > ride.seats:
        raise ValidationError(_("There are not enough free seats on this ride any more."))
    activity_check(user=acting_user, action="post")
    status = BookingStatus.CONFIRMED if ride.instant_booking else BookingStatus.PENDING
    booking = Booking.objects.create(ride=ride, passenger=acting_user, day=day, seats=int(seats), status=status)
    day_text = day.strftime("%d.%m.%Y")
    if status == BookingStatus.CONFIRMED:
        title = _("%(name)s rides with you on %(day)s") % {"name": acting_user.get_short_name(), "day": day_text}
    else:
        title = _("%(name)s asks for a seat on %(day)s") % {"name": acting_user.get_short_name(), "day": day_text}
    _tell(user_ids=[ride.person_id], event="rides.booking", title=title, body=str(ride),
          url=booking.get_absolute_url(), dedupe_key=f"rides.booking:{booking.pk}")
    return booking


def _booking_locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("ride").get(pk=booking.pk)


@transaction.atomic
def booking_confirm(*, booking: Booking, acting_user: Any) -> Booking:
    booking = _booking_locked(booking)
    if booking.ride.person_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("This booking is no longer waiting for an answer."))
    booking.status = BookingStatus.CONFIRMED
    booking.save(update_fields=["status", "updated_at"])
    _tell(user_ids=[booking.passenger_id], event="rides.confirmed",
          title=_("Your seat on %(day)s is confirmed") % {"day": booking.day.strftime("%d.%m.%Y")},
          body=str(booking.ride), url=booking.get_absolute_url(), dedupe_key=f"rides.confirmed:{booking.pk}")
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, acting_user: Any) -> Booking:
    booking = _booking_locked(booking)
    if booking.ride.person_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("This booking is no longer waiting for an answer."))
    booking.status = BookingStatus.DECLINED
    booking.save(update_fields=["status", "updated_at"])
    _tell(user_ids=[booking.passenger_id], event="rides.declined",
          title=_("No seat on %(day)s this time") % {"day": booking.day.strftime("%d.%m.%Y")},
          body=str(booking.ride), url=booking.get_absolute_url(), dedupe_key=f"rides.declined:{booking.pk}")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, acting_user: Any) -> Booking:
    """Either side cancels; the other is told."""
    booking = _booking_locked(booking)
    if not booking.is_party(acting_user):
        raise PermissionDenied
    if not booking.is_active:
        raise ValidationError(_("This booking is no longer active."))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by = acting_user
    booking.save(update_fields=["status", "cancelled_by", "updated_at"])
    other = booking.ride.person_id if acting_user.pk == booking.passenger_id else booking.passenger_id
    _tell(user_ids=[other], event="rides.cancelled",
          title=_("A booking for %(day)s was cancelled") % {"day": booking.day.strftime("%d.%m.%Y")},
          body=_("%(name)s cancelled: %(route)s") % {"name": acting_user.get_short_name(), "route": str(booking.ride)},
          url=booking.get_absolute_url(), dedupe_key=f"rides.cancelled:{booking.pk}")
    return booking


@transaction.atomic
def booking_thank(*, booking: Booking, acting_user: Any, text: str) -> Booking:
    """After the ride the passenger says thank you (private, to the driver; no public ratings)."""
    booking = _booking_locked(booking)
    if booking.passenger_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    if booking.status != BookingStatus.CONFIRMED or booking.departure > timezone.now():
        raise ValidationError(_("You can say thank you after the ride."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Please write a few words.")})
    text_check(text)
    booking.thanks = text[:500]
    booking.save(update_fields=["thanks", "updated_at"])
    _tell(user_ids=[booking.ride.person_id], event="rides.thanks",
          title=_("%(name)s says thank you for the ride") % {"name": acting_user.get_short_name()},
          body=booking.thanks, url=booking.get_absolute_url(), dedupe_key=f"rides.thanks:{booking.pk}")
    return booking


def booking_message(*, booking: Booking, acting_user: Any, text: str) -> str:
    """Write to the other side of a booking; returns the path to go to next.

    Through Messages when the town has it on (the conversation continues there); otherwise
    the town's e-mail relays the text, without either address showing.
    """
    if not booking.is_party(acting_user):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Please write a message.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("Please write at most 1000 characters.")})
    other = booking.ride.person_id if acting_user.pk == booking.passenger_id else booking.passenger_id
    from modules.conversations.facade import conversation_open, conversations_enabled

    if conversations_enabled():
        label = _("Ride %(route)s on %(day)s") % {"route": str(booking.ride), "day": booking.day.strftime("%d.%m.%Y")}
        return conversation_open(sender=acting_user, recipient_id=other, text=text, context_label=label)
    text_check(text)
    from core.outbox import outbox_enqueue

    # Committed with the caller's transaction; the worker sends it even after a broker outage.
    outbox_enqueue("rides.send_relay_mail", args=[booking.pk, acting_user.pk, other, text])
    return booking.get_absolute_url()


# --- saved searches --------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(*, acting_user: Any, to_stop: Stop, from_stop: Stop | None = None,
                        weekday: int | None = None) -> SavedSearch:
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    if from_stop is not None and from_stop.pk == to_stop.pk:
        raise ValidationError({"to_stop": _("Start and destination are the same place.")})
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Please choose weekdays from Monday to Sunday.")})
    search, _created = SavedSearch.objects.get_or_create(person=acting_user, from_stop=from_stop, to_stop=to_stop,
                                                         weekday=weekday)
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, acting_user: Any) -> None:
    if search.person_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    search.delete()


# --- stops -----------------------------------------------------------------------------------


@transaction.atomic
def stop_create(*, acting_user: Any, name: str, kind: str, latitude: float, longitude: float,
                is_bench: bool = False, ortsgemeinde: Any = None, directions: Iterable[Stop] = ()) -> Stop:
    if not user_passes(acting_user, "town_admin"):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please give the stop a name.")})
    _check_point(latitude, longitude, "latitude")
    if kind not in StopKind.values:
        raise ValidationError({"kind": _("Please choose a kind of stop.")})
    stop = Stop.objects.create(name=name, kind=kind, latitude=latitude, longitude=longitude,
                               is_bench=is_bench or kind == StopKind.BENCH, ortsgemeinde=ortsgemeinde)
    stop.directions.set([d for d in directions if d.pk != stop.pk])
    return stop


# --- Mitfahrbank -----------------------------------------------------------------------------


@transaction.atomic
def bench_watch_set(*, acting_user: Any, bench: Stop | None, on: bool) -> None:
    """Opt in (or out) for a bench's requests; no bench: every bench of the town."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    if on:
        BenchWatch.objects.get_or_create(person=acting_user, bench=bench)
    else:
        BenchWatch.objects.filter(person=acting_user, bench=bench).delete()


@transaction.atomic
def bench_request_create(*, bench: Stop, direction: Stop | None, name: str, phone: str = "",
                         entered_by: Any = None) -> BenchRequest:
    """"Ich sitze jetzt hier": no account needed; every opted-in driver is told at once, once."""
    if not bench.is_bench:
        raise ValidationError(_("This is not a Mitfahrbank."))
    errors: dict[str, str] = {}
    if direction is None:
        errors["direction"] = _("Please choose where you want to go.")
    elif direction.pk == bench.pk:
        errors["direction"] = _("Start and destination are the same place.")
    name = " ".join(name.split())
    if not name:
        errors["name"] = _("Please give a first name or nickname, so the driver can call you.")
    phone = phone.strip()
    if phone and not all(c.isdigit() or c in " +-/()" for c in phone):
        errors["phone"] = _("Please give only digits in the phone number.")
    if errors:
        raise ValidationError(errors)
    text_check(name)
    assert direction is not None
    now = timezone.now()
    request = BenchRequest.objects.create(
        bench=bench, direction=direction, name=name[:40], phone=phone[:30], token=secrets.token_urlsafe(24),
        expires_at=now + datetime.timedelta(minutes=BENCH_REQUEST_MINUTES), entered_by=entered_by,
    )
    drivers = [pk for pk in selectors.bench_watchers(bench=bench) if pk != getattr(entered_by, "pk", None)]
    if drivers and notifications_enabled():
        # Urgent: someone is sitting outside now; quiet hours and digests would make them wait in vain.
        notify(user_ids=drivers, event="rides.bench",
               title=_("%(name)s is waiting at %(bench)s") % {"name": request.name, "bench": bench.name},
               body=_("Direction %(direction)s, for the next %(minutes)d minutes.") % {
                   "direction": direction.name, "minutes": BENCH_REQUEST_MINUTES},
               url=reverse("rides:bench", kwargs={"stop_id": bench.pk}),
               dedupe_key=f"rides.bench:{request.pk}", topic="rides.bench", urgent=True)
    return request


@transaction.atomic
def bench_request_accept(*, bench_request: BenchRequest, acting_user: Any) -> BenchRequest:
    """A driver taps "Ich komme": the first one gets it, the person's page shows it."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    request = BenchRequest.objects.select_for_update().get(pk=bench_request.pk)
    if request.is_cancelled or request.is_expired:
        raise ValidationError(_("This request has expired."))
    if request.driver_id is not None:
        if request.driver_id == acting_user.pk:
            return request
        raise ValidationError(_("Another driver is already on the way."))
    request.driver = acting_user
    request.driver_at = timezone.now()
    request.save(update_fields=["driver", "driver_at"])
    return request


@transaction.atomic
def bench_request_cancel(*, bench_request: BenchRequest) -> BenchRequest:
    """The person at the bench found another way (only through their own token page)."""
    request = BenchRequest.objects.select_for_update().get(pk=bench_request.pk)
    request.is_cancelled = True
    request.save(update_fields=["is_cancelled"])
    return request


# --- moderation --------------------------------------------------------------------------------


@transaction.atomic
def ride_set_hidden(*, ride_id: int, hidden: bool) -> None:
    Ride.objects.filter(pk=ride_id).update(is_hidden=hidden)


@transaction.atomic
def ride_delete(*, ride_id: int) -> None:
    Ride.objects.filter(pk=ride_id).delete()
