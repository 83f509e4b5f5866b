"""The town's calendar: dated entries that modules and platform apps provide, and the iCalendar feeds built from them.

A provider lists a :class:`CalendarSource` in its ``provides``; it answers

    entries(start, end, *, ortsgemeinde_id=None)   -> public entries (anyone may see them)
    personal_entries(user, start, end)             -> one person's own entries (registrations, booked rides ...)
    facets()                                       -> optional: the categories and organisations its entries name

with :class:`CalendarEntry` objects, in a fixed number of queries whatever the number of rows.
The platform merges every source of the modules enabled in the town and serves them as
RFC 5545 feeds (town/calendar_views.py): the whole town, one Ortsgemeinde, one source, and
a person's own feed behind a revocable token URL. A recurring entry is one series (RRULE and
EXDATE), not a row per occurrence, so calendar apps show it the way the town entered it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dateutil.rrule import rrulestr
from django.http import HttpResponse
from django.utils import timezone

from core.branding import town_url
from core.capabilities import Capability, Ref, call, provided
from core.tenancy import connection

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Every town of the platform is in Germany: feeds carry this zone (VTIMEZONE + TZID).
TOWN_TZ = zoneinfo.ZoneInfo("Europe/Berlin")
# What a feed covers: a quarter back (so last week's entries stay in subscribed apps) and a year ahead.
FEED_DAYS_BACK = 92
FEED_DAYS_AHEAD = 400

Moment = datetime.date | datetime.datetime


@dataclass(frozen=True)
class CalendarEntry:
    """One dated entry, or one series of them.

    ``start`` a ``date`` means all day (``end`` then is the day after the last day, as RFC 5545
    wants, or None for a single day); an aware ``datetime`` means timed. ``rrule`` is an RFC 5545
    recurrence rule without the ``RRULE:`` prefix (``"FREQ=WEEKLY;BYDAY=TU"``), ``exdates`` the
    occurrences that don't take place (same type as ``start``). ``uid`` must be stable and unique
    within its source: calendar apps recognise an entry by it when it changes.
    """

    uid: str
    title: str
    start: Moment
    end: Moment | None = None
    description: str = ""
    location: str = ""
    path: str = ""  # path on the town's site ("/veranstaltungen/7/"); the feed makes it absolute
    ortsgemeinde_id: int | None = None  # None: the whole town
    rrule: str = ""
    exdates: tuple[Moment, ...] = ()
    cancelled: bool = False  # shown struck through in calendar apps (STATUS:CANCELLED)
    updated_at: datetime.datetime | None = None
    # Facets the calendar page filters by (slugs of the source's CalendarFacet); "" for none.
    category: str = ""
    organisation: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)


CATEGORY = "kategorie"
ORGANISATION = "verein"


@dataclass(frozen=True)
class CalendarFacet:
    """One value the calendar page offers as a filter: a category ("Sport") or an organisation ("TuS")."""

    kind: str  # CATEGORY or ORGANISATION
    slug: str  # what the source's entries carry in ``category`` / ``organisation``
    label: str


@dataclass(frozen=True)
class CalendarSource(Capability):
    """Dated entries a module or platform app contributes to the town's calendar.

    ``key`` names the source in its feed URL (``/kalender/ical/quelle/<key>/``) and in the entries'
    UIDs; it is unique across the platform and never renamed. ``entries(start, end, *,
    ortsgemeinde_id=None)`` returns the public entries (or series) with an occurrence between
    ``start`` and ``end`` (aware datetimes); with an Ortsgemeinde it returns that village's entries
    and the town-wide ones. ``personal_entries(user, start, end)`` returns what belongs to that
    person only. Either may be None. Both run in a fixed number of queries.

    ``facets()`` (optional) returns the :class:`CalendarFacet` values its public entries may carry
    (their ``category`` and ``organisation``), in a fixed number of queries; the calendar page offers
    them as filters. While such a filter is chosen, entries without that value (and sources without
    facets) are left out.
    """

    key: str
    label: StrOrPromise
    entries: Ref | None = None  # (start, end, *, ortsgemeinde_id=None) -> Sequence[CalendarEntry]
    personal_entries: Ref | None = None  # (user, start, end) -> Sequence[CalendarEntry]
    order: int = 100
    facets: Ref | None = None  # () -> Sequence[CalendarFacet]

    kind_label = "calendar source"


@dataclass(frozen=True)
class CalendarPlaces(Capability):
    """Where the calendar page reads the town's Ortsgemeinden (the kernel doesn't know them itself).

    The town app provides it: ``places()`` returns objects with ``pk``, ``slug`` and ``name`` in the
    order to offer them; ``home(user)`` the id of the visitor's own Ortsgemeinde or None.
    """

    places: Ref  # () -> Sequence[place]
    home: Ref  # (user) -> int | None

    kind_label = "calendar places"


@dataclass(frozen=True)
class SourcedEntry:
    source: CalendarSource
    entry: CalendarEntry
    # A sortable moment: all-day entries count from midnight in the town's zone.
    sort_key: datetime.datetime = field(compare=False)


def _as_datetime(moment: Moment) -> datetime.datetime:
    if isinstance(moment, datetime.datetime):
        return moment
    return datetime.datetime.combine(moment, datetime.time.min, tzinfo=TOWN_TZ)


def _sourced(source: CalendarSource, entries: Iterable[CalendarEntry]) -> list[SourcedEntry]:
    return [SourcedEntry(source, entry, _as_datetime(entry.start)) for entry in entries]


def feed_window(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The period a feed covers, as aware datetimes."""
    today = timezone.localtime(now or timezone.now(), TOWN_TZ).date()
    start = today - datetime.timedelta(days=FEED_DAYS_BACK)
    end = today + datetime.timedelta(days=FEED_DAYS_AHEAD)
    return _as_datetime(start), _as_datetime(end)


def calendar_sources() -> list[CalendarSource]:
    """The sources of the modules enabled in the current town (and of the platform apps), in order."""
    return sorted(provided(CalendarSource), key=lambda source: (source.order, source.key))


def public_entries(start: datetime.datetime, end: datetime.datetime, *, ortsgemeinde_id: int | None = None,
                   source_key: str | None = None, category: str | None = None,
                   organisation: str | None = None) -> list[SourcedEntry]:
    """Public entries of every enabled source (or only `source_key`), oldest first.

    `category` / `organisation`: only entries carrying that facet (a source without facets has none).
    """
    found: list[SourcedEntry] = []
    for source in calendar_sources():
        if source.entries is None or (source_key is not None and source.key != source_key):
            continue
        if (category or organisation) and source.facets is None:
            continue  # it names no categories or organisations: nothing of it can match (and no query)
        entries = call(source.entries, start, end, ortsgemeinde_id=ortsgemeinde_id)
        found += _sourced(source, [entry for entry in entries
                                   if (not category or entry.category == category)
                                   and (not organisation or entry.organisation == organisation)])
    return sorted(found, key=lambda item: item.sort_key)


def calendar_facets(sources: Sequence[CalendarSource]) -> dict[str, list[CalendarFacet]]:
    """The facet values of `sources`, by kind, each slug once, sorted by label."""
    found: dict[str, dict[str, CalendarFacet]] = {CATEGORY: {}, ORGANISATION: {}}
    for source in sources:
        if source.facets is None:
            continue
        for facet in call(source.facets):
            found.setdefault(facet.kind, {}).setdefault(facet.slug, facet)
    return {kind: sorted(values.values(), key=lambda f: f.label.casefold()) for kind, values in found.items()}


def personal_entries(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[SourcedEntry]:
    """The entries that belong to `user` alone, from every enabled source, oldest first."""
    found: list[SourcedEntry] = []
    for source in calendar_sources():
        if source.personal_entries is not None:
            found += _sourced(source, call(source.personal_entries, user, start, end))
    return sorted(found, key=lambda item: item.sort_key)


def occurrences(entry: CalendarEntry, start: datetime.datetime, end: datetime.datetime) -> list[Moment]:
    """The starts of `entry` between `start` and `end`: one for a single entry, each one of a series.

    For pages that list dates (the coming calendar page, a widget); the feeds keep the series.
    """
    if not entry.rrule:
        return [entry.start] if start <= _as_datetime(entry.start) < end else []
    # Expanded in the town's zone, as the feeds write it: a weekly 19:00 stays 19:00 after the clocks change
    # (a start in UTC would drift by an hour at each change).
    rule = rrulestr(entry.rrule, dtstart=_as_datetime(entry.start).astimezone(TOWN_TZ))
    cancelled = {_as_datetime(moment) for moment in entry.exdates}
    found = [moment for moment in rule.between(start, end, inc=True) if moment < end and moment not in cancelled]
    if entry.all_day:
        return [moment.date() for moment in found]
    return list(found)


# --- iCalendar (RFC 5545) ----------------------------------------------------------

# Europe/Berlin as calendar servers write it: the EU rule since 1996, with no list of past dates.
_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def _local(moment: Moment) -> Moment:
    # Timed values are written in the town's zone (TZID=Europe/Berlin), so a weekly 9:00 stays 9:00 after DST.
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(TOWN_TZ)
    return moment


def entry_uid(source: CalendarSource, entry: CalendarEntry) -> str:
    # The schema name never changes (a town's domain may), so the UID stays what apps have stored.
    return f"{source.key}-{entry.uid}@{connection.schema_name}.dorfkern"


def _event(item: SourcedEntry, stamp: datetime.datetime, origin: str) -> Any:
    from icalendar import Event, vRecur

    source, entry = item.source, item.entry
    event = Event()
    event.add("uid", entry_uid(source, entry))
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(entry.start))
    if entry.end is not None:
        event.add("dtend", _local(entry.end))
    elif entry.all_day:
        event.add("dtend", entry.start + datetime.timedelta(days=1))
    event.add("summary", entry.title)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.path:
        event.add("url", origin + entry.path)
    event.add("categories", [str(source.label)])
    if entry.rrule:
        event.add("rrule", vRecur.from_ical(entry.rrule))
        if entry.exdates:
            event.add("exdate", [_local(moment) for moment in entry.exdates])
    if entry.cancelled:
        event.add("status", "CANCELLED")
    if entry.updated_at is not None:
        event.add("last-modified", entry.updated_at.astimezone(datetime.UTC))
    return event


def ical_document(items: Sequence[SourcedEntry], *, name: str, description: str = "") -> bytes:
    """An RFC 5545 VCALENDAR of `items`, named `name` in calendar apps (X-WR-CALNAME)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Dorfkern//Kalender//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    if description:
        calendar.add("x-wr-caldesc", description)
    # How often subscribed apps should look again (Apple, Google and Outlook each read one of these).
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    origin = town_url("/").rstrip("/")  # one query for the town's domain, not one per entry
    for item in items:
        calendar.add_component(_event(item, stamp, origin))
    document: bytes = calendar.to_ical()
    if any(isinstance(item.entry.start, datetime.datetime) for item in items):
        # VTIMEZONE goes before the events; TZID=Europe/Berlin in them refers to it.
        head, _begin, rest = document.partition(b"BEGIN:VEVENT")
        document = head + _VTIMEZONE.encode() + _begin + rest
    return document


def ical_response(document: bytes, *, filename: str, personal: bool = False) -> HttpResponse:
    """The feed as text/calendar. Public feeds may be cached by proxies; a personal one only by its reader."""
    response = HttpResponse(document, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, max-age=900" if personal else "public, max-age=900"
    if personal:
        # The URL is the key: it must not end up in a shared cache or a search engine.
        response["X-Robots-Tag"] = "noindex"
    return response
