"""Reads for events. A series is one row; its dates are expanded here, on read, for the window asked.

Every list costs a fixed number of queries: one for the events (with venue, category, organisation
and Ortsgemeinde joined), whatever the number of events or of their occurrences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.dateformat import DateFormat
from django.utils.functional import cached_property

from core.cached_lists import CachedList
from core.calendar import CATEGORY, ORGANISATION, TOWN_TZ, CalendarEntry, CalendarFacet, occurrences
from core.maps import MAX_POINTS_PER_LAYER, MapPoint
from core.page_cache import cached
from modules.events.models import (
    Category,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    SavedEvent,
    Venue,
)
from modules.events.recurrence import all_day_span, wall_clock_end
from town.capabilities import WeekPost
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


def calendar_entry(event: Event, *, path: str | None = None, facets: bool = True) -> CalendarEntry:
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
        # The facets need category and organisation joined (_related); date arithmetic skips them.
        category=event.category.slug if facets and event.category_id else "",  # type: ignore[union-attr]
        organisation=event.organisation.slug if facets and event.organisation_id else "",  # type: ignore[union-attr]
    )


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: the event itself for a single one, one of its dates for a series."""

    event: Event
    start: datetime.datetime  # aware; midnight in the town for all-day events
    end: datetime.datetime  # all-day events: midnight in the town of the last day
    cancelled: bool

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.start, TOWN_TZ).date()

    @property
    def last_day(self) -> datetime.date:
        return timezone.localtime(self.end, TOWN_TZ).date()

    @cached_property
    def labels(self) -> OccurrenceLabels:
        """Its dates as the list and the start page show them, formatted in one go (the template's `date`
        filter, once per label, cost a list page about 2 ms)."""
        start = DateFormat(timezone.localtime(self.start))  # the current zone, as the `date` filter uses
        all_day = self.event.all_day
        return OccurrenceLabels(
            weekday=start.format("D"), day=start.format("j"), month=start.format("M"),
            iso=start.format("Y-m-d" if all_day else "c"), long=start.format("l, j. F Y"),
            time="" if all_day else start.format("H:i"),
            last_day=dateformat.format(self.last_day, "j. F") if all_day else "",
        )


@dataclass(frozen=True)
class OccurrenceLabels:
    weekday: str  # "Sa"
    day: str  # "7"
    month: str  # "Dez"
    iso: str  # for <time datetime>: the day of an all-day event, else the moment
    long: str  # "Samstag, 7. Dezember 2026"
    time: str  # "18:00"; "" for an all-day event
    last_day: str  # "8. Dezember": an all-day event's last day; "" otherwise


def _aware(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(moment, datetime.datetime):
        return moment
    return datetime.datetime.combine(moment, datetime.time.min, tzinfo=TOWN_TZ)


def event_occurrences(event: Event, start: datetime.datetime, end: datetime.datetime, *,
                      include_cancelled: bool = False) -> list[Occurrence]:
    """The dates of `event` that overlap [start, end). Cancelled dates of a series only if asked.

    An all-day date is counted in the town's days (its first day plus all_day_span), never by adding
    hours to a midnight: over a clock change a day has 23 or 25 hours. A timed date ends at the
    wall-clock end the organiser entered (wall_clock_end), not after the first date's length in hours.
    """
    entry = calendar_entry(event, path="", facets=False)
    if include_cancelled:
        entry = CalendarEntry(uid=entry.uid, title=entry.title, start=entry.start, end=entry.end, rrule=entry.rrule)
    span = all_day_span(event.starts_at, event.ends_at)
    # An event that began before `start` but still runs counts: look back by its length (all day: a day
    # more for its last day and one for the clock change; timed: two hours more, as a date over a clock
    # change lasts up to two hours longer than a first date over the other one; the exact test is below).
    back = span + datetime.timedelta(days=2) if event.all_day else (
        event.ends_at - event.starts_at + datetime.timedelta(hours=2))
    cancelled_days = set(event.cancelled_dates)
    found = []
    for moment in occurrences(entry, start - back, end):
        if isinstance(moment, datetime.datetime):  # timed
            begin = moment
            finish = over = wall_clock_end(event.starts_at, event.ends_at, moment)
        else:
            begin, finish = _aware(moment), _aware(moment + span)
            over = _aware(moment + span + datetime.timedelta(days=1))  # the end of its last day
        if over <= start:
            continue
        day = timezone.localtime(begin, TOWN_TZ).date()
        found.append(Occurrence(event=event, start=begin, end=finish,
                                cancelled=event.is_cancelled or day in cancelled_days))
    return found


def occurrence_list(start: datetime.datetime, end: datetime.datetime, **filters: Any) -> list[Occurrence]:
    """Every date of every visible event between start and end, in time order (one query)."""
    found: list[Occurrence] = []
    for event in events_overlapping(start, end, **filters):
        found += event_occurrences(event, start, end)
    return sorted(found, key=lambda item: (item.start, item.event.pk))


class OccurrenceRow(TypedDict):
    """One date as the list and the start page show it (events/_occurrence.html): only strings and flags,
    so a list of them caches cheaply and the template looks up dict keys, not model attributes."""

    url: str
    title: str
    cancelled: bool
    weekday: str  # the OccurrenceLabels, see there
    day: str
    month: str
    iso: str
    long: str
    time: str  # "" for an all-day event
    until: str  # "8. Dezember": the last day of an all-day event over several days; "" otherwise
    place: str
    organisation: str  # its name, "" without one
    category: str  # its name, "" without one


def occurrence_row(occurrence: Occurrence) -> OccurrenceRow:
    event, labels = occurrence.event, occurrence.labels
    return OccurrenceRow(
        url=event.get_absolute_url(), title=event.title, cancelled=occurrence.cancelled,
        weekday=labels.weekday, day=labels.day, month=labels.month, iso=labels.iso, long=labels.long,
        time=labels.time,
        until=labels.last_day if event.all_day and occurrence.last_day != occurrence.day else "",
        place=event.place,
        organisation=event.organisation.name if event.organisation_id else "",  # type: ignore[union-attr]
        category=event.category.name if event.category_id else "",  # type: ignore[union-attr]
    )


# Rows of a day window change with the events and with the names of their venues, organisations and
# Ortsgemeinden (apps "events" and "town"), and not with the hour: the window starts at a midnight.
ROWS_SECONDS = 3600


def occurrence_rows(start: datetime.datetime, end: datetime.datetime, *, ortsgemeinde_id: int | None = None,
                    category_slug: str | None = None, organisation_id: int | None = None) -> list[OccurrenceRow]:
    """occurrence_list as rows for the events list, cached per town and language until an event, venue,
    category or organisation changes: a visit reads one value from Redis instead of querying the events,
    expanding every series and formatting each date (about half the list page's cost)."""
    name = (f"events-rows:{start.isoformat()}:{end.isoformat()}:{timezone.get_current_timezone_name()}:"
            f"{ortsgemeinde_id}:{category_slug}:{organisation_id}")
    return cached(name, ("events", "town"), lambda: [occurrence_row(o) for o in occurrence_list(
        start, end, ortsgemeinde_id=ortsgemeinde_id, category_slug=category_slug, organisation_id=organisation_id)],
        seconds=ROWS_SECONDS)


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
    from modules.events.conf import suggestions_reviewed_by_town_only

    if suggestions_reviewed_by_town_only():
        return qs.none()
    return qs.filter(organisation__memberships__user=user, organisation__is_approved=True)


def registration_list(*, event: Event, day: datetime.date | None = None) -> list[Registration]:
    """Everyone registered (confirmed first, then the waiting list in its order), cancelled ones left out;
    for a series only those of `day` when given."""
    qs = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    if day is not None:
        qs = qs.filter(occurrence_date=day)
    found = list(qs.order_by("occurrence_date", "status", "waiting_since", "created_at", "id"))
    return sorted(found, key=lambda r: (r.occurrence_date, r.status != RegistrationStatus.CONFIRMED,
                                        r.waiting_since or r.created_at, r.pk))


def registration_dates(*, event: Event) -> list[tuple[datetime.date, int, int]]:
    """(date, confirmed places, people waiting) for each date of `event` someone registered for; one query."""
    from django.db.models import Count, Sum

    rows = (Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
            .values("occurrence_date")
            .annotate(places=Sum("places", filter=Q(status=RegistrationStatus.CONFIRMED)),
                      waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)))
            .order_by("occurrence_date"))
    return [(row["occurrence_date"], row["places"] or 0, row["waiting"]) for row in rows]


def registrations_of(*, event: Event, user: Any) -> list[Registration]:
    """`user`'s active registrations for `event` (one per date), by date."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Registration.objects.filter(event=event, user=user).exclude(
        status=RegistrationStatus.CANCELLED).order_by("occurrence_date"))


def registration_of(*, event: Event, user: Any, day: datetime.date | None = None) -> Registration | None:
    """`user`'s active registration for `event` (on `day` for a series), or None."""
    found = registrations_of(event=event, user=user)
    return next((r for r in found if day is None or r.occurrence_date == day), None)


def places_taken(event: Event, day: datetime.date | None = None) -> int:
    from django.db.models import Sum

    qs = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    if day is not None:
        qs = qs.filter(occurrence_date=day)
    return qs.aggregate(total=Sum("places"))["total"] or 0


def places_taken_by_date(event: Event, days: list[datetime.date]) -> dict[datetime.date, int]:
    """Confirmed places on each of `days`; one query."""
    from django.db.models import Sum

    rows = (Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED, occurrence_date__in=days)
            .values("occurrence_date").annotate(total=Sum("places")).values_list("occurrence_date", "total"))
    return {day: total or 0 for day, total in rows}


def saved_dates_of(*, event: Event, user: Any) -> set[datetime.date]:
    """The dates of `event` that `user` saved; one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(SavedEvent.objects.filter(event=event, user=user).values_list("occurrence_date", flat=True))


@dataclass(frozen=True)
class MyDate:
    """A date on a resident's "Meine Termine": registered for, saved, or both."""

    event: Event
    day: datetime.date
    start: datetime.datetime
    registration: Registration | None
    saved: bool
    cancelled: bool


def my_dates(*, user: Any, since: datetime.date) -> list[MyDate]:
    """The coming dates `user` registered for or saved, in time order; two queries whatever their number."""
    registrations = (Registration.objects.filter(user=user, occurrence_date__gte=since,
                                                 event__status=EventStatus.PUBLISHED, event__is_hidden=False)
                     .exclude(status=RegistrationStatus.CANCELLED)
                     .select_related("event", "event__venue", "event__organisation"))
    saved = (SavedEvent.objects.filter(user=user, occurrence_date__gte=since, event__status=EventStatus.PUBLISHED,
                                       event__is_hidden=False)
             .select_related("event", "event__venue", "event__organisation"))
    found: dict[tuple[int, datetime.date], MyDate] = {}
    for item in saved:
        found[(item.event_id, item.occurrence_date)] = _my_date(item.event, item.occurrence_date, None, True)
    for registration in registrations:
        key = (registration.event_id, registration.occurrence_date)
        found[key] = _my_date(registration.event, registration.occurrence_date, registration, key in found)
    return sorted(found.values(), key=lambda d: (d.start, d.event.pk))


def _my_date(event: Event, day: datetime.date, registration: Registration | None, saved: bool) -> MyDate:
    local = timezone.localtime(event.starts_at, TOWN_TZ)
    start = datetime.datetime.combine(day, datetime.time.min if event.all_day else local.time(), tzinfo=TOWN_TZ)
    return MyDate(event=event, day=day, start=start, registration=registration, saved=saved,
                  cancelled=event.is_cancelled or day in event.cancelled_dates)


def _categories_build() -> list[Category]:
    return list(Category.objects.all())


# The calendar's filter choices on every visit; the town's change shows on the next request.
_categories = CachedList("events.categories", _categories_build, models=(Category,))


def category_list() -> list[Category]:
    return _categories.get()


def venue_list() -> list[Venue]:
    return list(Venue.objects.select_related("ortsgemeinde").order_by("name"))


def _organisers_build() -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=Event.objects.filter(visible_q()).values(
        "organisation_id")).order_by("name"))


# Changes when an event is published, edited, hidden or deleted, or an organisation renamed (services.
# event_set_hidden, which updates without saving, forgets it itself).
_organisers = CachedList("events.organisers", _organisers_build, models=(Event, Organisation))


def organisation_list_with_events() -> list[Organisation]:
    """Organisations that have a visible event (for the filter); cached per town, one query to fill."""
    return _organisers.get()


def organisers_forget() -> None:
    _organisers.forget()


# --- capabilities: calendar, map -------------------------------------------------------------------


def calendar_entries(start: datetime.datetime, end: datetime.datetime, *,
                     ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """The town's public events as calendar entries (CalendarSource "veranstaltungen"); one query."""
    return [calendar_entry(event) for event in events_overlapping(start, end, ortsgemeinde_id=ortsgemeinde_id)]


def _date_entry(event: Event, day: datetime.date, *, uid: str, title: str, description: str = "") -> CalendarEntry:
    """One date of `event` (a single event's, or one of a series) as a calendar entry without RRULE."""
    if event.all_day:  # DATE values, DTEND the day after the last day (RFC 5545)
        start: datetime.date | datetime.datetime = day
        end: datetime.date | datetime.datetime = (
            day + all_day_span(event.starts_at, event.ends_at) + datetime.timedelta(days=1))
    else:
        local = timezone.localtime(event.starts_at, TOWN_TZ)
        start = datetime.datetime.combine(day, local.time(), tzinfo=TOWN_TZ)
        end = wall_clock_end(event.starts_at, event.ends_at, start)
    return CalendarEntry(uid=uid, title=title, start=start, end=end, location=event.place,
                         path=event.get_absolute_url(), description=description,
                         cancelled=event.is_cancelled or day in event.cancelled_dates, updated_at=event.updated_at)


def calendar_facets() -> list[CalendarFacet]:
    """The town calendar's filters for events: every category, and the organisations with a public event
    (two queries)."""
    return ([CalendarFacet(CATEGORY, category.slug, category.name) for category in category_list()]
            + [CalendarFacet(ORGANISATION, organisation.slug, organisation.name)
               for organisation in organisation_list_with_events()])


def calendar_registrations(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[CalendarEntry]:
    """The dates `user` is registered for (confirmed or waiting) or saved; two queries.

    A date both registered for and saved appears once, as the registration.
    """
    first = timezone.localtime(start, TOWN_TZ).date() - datetime.timedelta(days=31)  # multi-day dates still running
    last = timezone.localtime(end, TOWN_TZ).date()
    registrations = (Registration.objects.filter(user=user, event__status=EventStatus.PUBLISHED,
                                                 occurrence_date__gte=first, occurrence_date__lte=last)
                     .exclude(status=RegistrationStatus.CANCELLED).select_related("event", "event__venue"))
    found, registered = [], set()
    for registration in registrations:
        prefix = "Angemeldet" if registration.status == RegistrationStatus.CONFIRMED else "Warteliste"
        registered.add((registration.event_id, registration.occurrence_date))
        found.append(_date_entry(
            registration.event, registration.occurrence_date, uid=f"anmeldung-{registration.pk}",
            title=f"{prefix}: {registration.event.title}",
            description=f"{registration.places} Plätze" if registration.places > 1 else "1 Platz"))
    saved = SavedEvent.objects.filter(user=user, event__status=EventStatus.PUBLISHED, event__is_hidden=False,
                                      occurrence_date__gte=first, occurrence_date__lte=last).select_related(
        "event", "event__venue")
    for item in saved:
        if (item.event_id, item.occurrence_date) not in registered:
            found.append(_date_entry(item.event, item.occurrence_date, uid=f"gemerkt-{item.pk}",
                                     title=f"Gemerkt: {item.event.title}"))
    return [entry for entry in found if _as_dt(entry.end or entry.start) > start and _as_dt(entry.start) < end]


def _as_dt(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    return _aware(moment)


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


def week_posts(organisation_id: int, start: datetime.datetime, end: datetime.datetime) -> list[WeekPost]:
    """The organisation's public dates between `start` and `end`, each date of a series once
    (town.OrganisationWeekPosts, for its week text); one query."""
    from django.utils.html import strip_tags

    found = []
    for event in events_overlapping(start, end, organisation_id=organisation_id):
        entry = calendar_entry(event, facets=False)
        for moment in occurrences(entry, start, end):
            if entry.cancelled:
                continue
            found.append(WeekPost(when=moment, title=event.title, text=strip_tags(event.description),
                                  path=event.get_absolute_url(), coming=True))
    return found
