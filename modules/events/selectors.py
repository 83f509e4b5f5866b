"""Reads for events. A series is one row; its dates are expanded here, on read, for the window asked.

Every list costs a fixed number of queries: one for the events (with venue, category, organisation
and Ortsgemeinde joined), whatever the number of events or of their occurrences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.calendar import TOWN_TZ, CalendarEntry, occurrences
from core.maps import MAX_POINTS_PER_LAYER, MapPoint
from modules.events.models import Category, Event, EventStatus, Registration, RegistrationStatus, Venue
from town.models import Organisation


def visible_q() -> Q:
    return Q(status=EventStatus.PUBLISHED, is_hidden=False)


def _related(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("venue", "category", "organisation", "ortsgemeinde")


def events_overlapping(start: datetime.datetime, end: datetime.datetime, *, ortsgemeinde_id: int | None = None,
                       category_slug: str | None = None, organisation_id: int | None = None,
                       qs: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Visible events (single or series) with a date between `start` and `end`; one query when evaluated."""
    qs = _related(qs if qs is not None else Event.objects.filter(visible_q()))
    qs = qs.filter(Q(series_ends_at__isnull=True) | Q(series_ends_at__gte=start), starts_at__lt=end)
    if ortsgemeinde_id is not None:  # that village's events and the town-wide ones
        qs = qs.filter(Q(ortsgemeinde_id=ortsgemeinde_id) | Q(ortsgemeinde__isnull=True))
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("starts_at", "id")


def _moment(event: Event, value: datetime.datetime) -> datetime.date | datetime.datetime:
    return timezone.localtime(value, TOWN_TZ).date() if event.all_day else value


def calendar_entry(event: Event, *, path: str | None = None) -> CalendarEntry:
    """The event as core.calendar sees it (all-day: dates, end the day after the last day)."""
    if event.all_day:
        start: datetime.date | datetime.datetime = _moment(event, event.starts_at)
        end: datetime.date | datetime.datetime | None = (
            _moment(event, event.ends_at) + datetime.timedelta(days=1))  # type: ignore[operator]
        exdates: tuple[datetime.date | datetime.datetime, ...] = tuple(event.cancelled_dates)
    else:
        start, end = event.starts_at, event.ends_at
        local_start = timezone.localtime(event.starts_at, TOWN_TZ)
        # An EXDATE names the occurrence's start: the cancelled day at the series' local time.
        exdates = tuple(datetime.datetime.combine(day, local_start.time(), tzinfo=TOWN_TZ)
                        for day in event.cancelled_dates)
    return CalendarEntry(
        uid=str(event.pk), title=event.title, start=start, end=end, location=event.place,
        path=path if path is not None else event.get_absolute_url(), ortsgemeinde_id=event.ortsgemeinde_id,
        rrule=event.rrule, exdates=exdates, cancelled=event.is_cancelled, updated_at=event.updated_at,
    )


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: the event itself for a single one, one of its dates for a series."""

    event: Event
    start: datetime.datetime  # aware; midnight in the town for all-day events
    end: datetime.datetime
    cancelled: bool

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.start, TOWN_TZ).date()

    @property
    def last_day(self) -> datetime.date:
        return timezone.localtime(self.end, TOWN_TZ).date()


def _aware(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(moment, datetime.datetime):
        return moment
    return datetime.datetime.combine(moment, datetime.time.min, tzinfo=TOWN_TZ)


def event_occurrences(event: Event, start: datetime.datetime, end: datetime.datetime, *,
                      include_cancelled: bool = False) -> list[Occurrence]:
    """The dates of `event` that overlap [start, end). Cancelled dates of a series only if asked."""
    entry = calendar_entry(event, path="")
    duration = event.ends_at - event.starts_at
    if event.all_day:
        duration += datetime.timedelta(days=1)  # an all-day event lasts to the end of its last day
    # An event that began before `start` but still runs counts: look back by its length.
    starts = occurrences(entry, start - duration, end) if not include_cancelled else occurrences(
        CalendarEntry(uid=entry.uid, title=entry.title, start=entry.start, end=entry.end, rrule=entry.rrule),
        start - duration, end)
    cancelled_days = set(event.cancelled_dates)
    found = []
    for moment in starts:
        begin = _aware(moment)
        finish = begin + duration
        if finish <= start:
            continue
        day = timezone.localtime(begin, TOWN_TZ).date()
        found.append(Occurrence(event=event, start=begin, end=finish - datetime.timedelta(
            days=1) if event.all_day else finish, cancelled=event.is_cancelled or day in cancelled_days))
    return found


def occurrence_list(start: datetime.datetime, end: datetime.datetime, **filters: Any) -> list[Occurrence]:
    """Every date of every visible event between start and end, in time order (one query)."""
    found: list[Occurrence] = []
    for event in events_overlapping(start, end, **filters):
        found += event_occurrences(event, start, end)
    return sorted(found, key=lambda item: (item.start, item.event.pk))


def next_occurrence(event: Event, now: datetime.datetime | None = None) -> Occurrence | None:
    """The coming (or running) date of an event; for a past event its last one."""
    now = now or timezone.now()
    coming = event_occurrences(event, now, now + datetime.timedelta(days=400))
    if coming:
        return coming[0]
    past = event_occurrences(event, event.starts_at, now)
    return past[-1] if past else None


def day_window(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[first day 0:00, day after last 0:00) in the town's zone."""
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=TOWN_TZ),
            datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=TOWN_TZ))


def weekend_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """ "Dieses Wochenende": Friday to Sunday of this week (on Sunday: today's weekend still)."""
    friday = today + datetime.timedelta(days=4 - today.weekday())
    return friday, friday + datetime.timedelta(days=2)


def event_get_visible(*, slug: str) -> Event | None:
    return _related(Event.objects.filter(visible_q(), slug=slug)).first()


def event_get(*, slug: str) -> Event | None:
    """Any event, public or not (for its editors)."""
    return _related(Event.objects.filter(slug=slug)).first()


def event_list_manageable(*, user: Any) -> QuerySet[Event]:
    qs = _related(Event.objects.exclude(status__in=[EventStatus.SUGGESTED, EventStatus.REJECTED])).order_by(
        "-starts_at", "-id")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_town_admin:
        return qs
    return qs.filter(organisation__memberships__user=user)


def suggestion_list_reviewable(*, user: Any) -> QuerySet[Event]:
    qs = _related(Event.objects.filter(status=EventStatus.SUGGESTED)).select_related("suggested_by").order_by(
        "starts_at", "id")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_town_admin:
        return qs
    return qs.filter(organisation__memberships__user=user, organisation__is_approved=True)


def registration_list(*, event: Event) -> list[Registration]:
    """Everyone registered (confirmed first, then the waiting list in its order), cancelled ones left out."""
    found = list(Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
                 .order_by("status", "waiting_since", "created_at", "id"))
    return sorted(found, key=lambda r: (r.status != RegistrationStatus.CONFIRMED,
                                        r.waiting_since or r.created_at, r.pk))


def registration_of(*, event: Event, user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).exclude(
        status=RegistrationStatus.CANCELLED).first()


def places_taken(event: Event) -> int:
    from django.db.models import Sum

    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).aggregate(
        total=Sum("places"))["total"] or 0


def category_list() -> list[Category]:
    return list(Category.objects.all())


def venue_list() -> list[Venue]:
    return list(Venue.objects.select_related("ortsgemeinde").order_by("name"))


def organisation_list_with_events() -> list[Organisation]:
    """Organisations that have a visible event (for the filter); one query."""
    return list(Organisation.objects.filter(pk__in=Event.objects.filter(visible_q()).values(
        "organisation_id")).order_by("name"))


# --- capabilities: calendar, map -------------------------------------------------------------------


def calendar_entries(start: datetime.datetime, end: datetime.datetime, *,
                     ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """The town's public events as calendar entries (CalendarSource "veranstaltungen"); one query."""
    return [calendar_entry(event) for event in events_overlapping(start, end, ortsgemeinde_id=ortsgemeinde_id)]


def calendar_registrations(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[CalendarEntry]:
    """The events `user` is registered for (confirmed or waiting); one query."""
    registrations = (Registration.objects.filter(user=user, event__status=EventStatus.PUBLISHED,
                                                 event__starts_at__lt=end, event__ends_at__gte=start)
                     .exclude(status=RegistrationStatus.CANCELLED).select_related("event", "event__venue"))
    found = []
    for registration in registrations:
        entry = calendar_entry(registration.event)
        prefix = "Angemeldet" if registration.status == RegistrationStatus.CONFIRMED else "Warteliste"
        found.append(CalendarEntry(
            uid=f"anmeldung-{registration.pk}", title=f"{prefix}: {entry.title}", start=entry.start,
            end=entry.end, location=entry.location, path=entry.path, cancelled=entry.cancelled,
            updated_at=entry.updated_at, description=f"{registration.places} Plätze" if registration.places > 1
            else "1 Platz"))
    return found


def map_points(request: HttpRequest) -> list[MapPoint]:
    """Coming events at a venue with a map point (one query): the next 60 days."""
    now = timezone.now()
    events = events_overlapping(now, now + datetime.timedelta(days=60)).filter(
        venue__latitude__isnull=False, venue__longitude__isnull=False)[:MAX_POINTS_PER_LAYER]
    points = []
    for event in events:
        occurrence = next_occurrence(event, now)
        when = timezone.localtime(occurrence.start, TOWN_TZ).strftime("%d.%m.%Y") if occurrence else ""
        points.append(MapPoint(
            lat=float(event.venue.latitude), lon=float(event.venue.longitude),  # type: ignore[union-attr,arg-type]
            title=event.title, url=event.get_absolute_url(), text=f"{when}, {event.venue.name}",  # type: ignore[union-attr]
            category=event.category.name if event.category_id else "",
        ))
    return points
