"""Reads of the services module, each page in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core import opening_hours
from core.cached_lists import CachedList
from core.calendar import TOWN_TZ, CalendarEntry
from core.maps import MAX_POINTS_PER_LAYER, MapPoint
from modules.services.models import FoundItem, LifeSituation, Office, OfficeDay, OfficeHourLink, Service
from town.models import OfficeHour, Ortsgemeinde

FOUND_SEARCH_MAX = 100


def now() -> datetime.datetime:
    """The one clock of the module's reads (tests set it to a Tuesday morning or a closed day)."""
    return timezone.now()


def today_local() -> datetime.date:
    return opening_hours.local_time(now()).date()


# --- offices and their hours --------------------------------------------------------------


def _hours_prefetch(qs: QuerySet[Office]) -> QuerySet[Office]:
    """Weekly hours and the dated days that can still matter (from yesterday on: a night is never long)."""
    yesterday = today_local() - datetime.timedelta(days=1)
    return qs.prefetch_related(
        Prefetch("hour_links", queryset=OfficeHourLink.objects.select_related("hour").order_by(
            "hour__weekday", "hour__starts_at")),
        Prefetch("days", queryset=OfficeDay.objects.filter(end_date__gte=yesterday), to_attr="current_days"),
    )


def _offices_build() -> list[Office]:
    return list(_hours_prefetch(Office.objects.select_related("ortsgemeinde")))


# Every visit of the Bürgerservice shows every office with its hours (three queries): cached per town and
# dropped when an office, its hours or a dated day changes. A day that ended since the list was built
# stays in it for at most the timeout; a day in the past never changes whether an office is open now.
_offices = CachedList("services.offices", _offices_build,
                      models=(Office, OfficeHourLink, OfficeHour, OfficeDay, Ortsgemeinde))


def office_list() -> list[Office]:
    """Every office with its hours (from the cache; three queries to fill it)."""
    return _offices.get()


def offices_with_hours(ids: set[int]) -> list[Office]:
    """These offices with their hours (three queries), for "open now" next to services."""
    return list(_hours_prefetch(Office.objects.filter(pk__in=ids)))


def office_get(slug: str) -> Office | None:
    return (_hours_prefetch(Office.objects.select_related("ortsgemeinde").prefetch_related("contacts"))
            .filter(slug=slug).first())


def office_intervals(office: Office) -> list[opening_hours.Interval]:
    return [opening_hours.Interval(link.hour.weekday, link.hour.starts_at, link.hour.ends_at)
            for link in office.hour_links.all()]


def office_exceptions(office: Office) -> list[opening_hours.Exception_]:
    days = getattr(office, "current_days", None)
    if days is None:
        days = list(office.days.all())
    return [opening_hours.Exception_(day.start_date, day.end_date, closed=day.closed, opens=day.opens,
                                     closes=day.closes) for day in days]


@dataclass(frozen=True)
class OpenState:
    """Is the office open at the moment asked, until when, and its hours that day."""

    is_open: bool
    until: datetime.time | None
    today: tuple[opening_hours.DayHours, ...]
    has_hours: bool

    @property
    def today_text(self) -> str:
        return ", ".join(f"{h.opens:%H:%M}–{h.closes:%H:%M}" for h in self.today)


def office_open_state(office: Office, moment: datetime.datetime | None = None) -> OpenState:
    """"Jetzt geöffnet" like the Branchenbuch: weekly hours, then closed days and special hours win."""
    moment = moment or now()
    intervals, exceptions = office_intervals(office), office_exceptions(office)
    until = opening_hours.open_until(moment, intervals, exceptions)
    day = opening_hours.local_time(moment).date()
    return OpenState(is_open=until is not None, until=until,
                     today=tuple(opening_hours.hours_on(day, intervals, exceptions)),
                     has_hours=bool(intervals) or bool(exceptions))


def office_week(office: Office) -> list[tuple[int, list[opening_hours.Interval]]]:
    return opening_hours.week_table(office_intervals(office))


def office_upcoming_days(office: Office) -> list[OfficeDay]:
    today = today_local()
    return [day for day in getattr(office, "current_days", []) if day.end_date >= today][:10]


def office_hours_unlinked() -> list[OfficeHour]:
    """The town's office hours that no office owns yet (entered on the Sprechzeiten page), to adopt."""
    return list(OfficeHour.objects.exclude(pk__in=OfficeHourLink.objects.values("hour_id"))
                .select_related("ortsgemeinde"))


# --- services A–Z -----------------------------------------------------------------------------


def _life_situations_build() -> list[LifeSituation]:
    return list(LifeSituation.objects.all())


# The filter's choices on every visit; the town's change shows on the next request.
_life_situations = CachedList("services.life-situations", _life_situations_build, models=(LifeSituation,))


def life_situation_list() -> list[LifeSituation]:
    return _life_situations.get()


def service_list_visible(*, life_situation: str | None = None, search: str | None = None) -> QuerySet[Service]:
    """Published services A–Z with their office and Lebenslage (one query)."""
    services = Service.objects.filter(is_published=True).select_related("office", "life_situation")
    if life_situation:
        services = services.filter(life_situation__slug=life_situation)
    if search:
        from core.search import search_query

        services = services.filter(search_vector=search_query(search))
    return services.order_by("title", "id")


def services_by_letter(services: list[Service]) -> list[tuple[str, list[Service]]]:
    groups: dict[str, list[Service]] = {}
    for service in services:
        groups.setdefault(service.letter, []).append(service)
    return sorted(groups.items(), key=lambda pair: (pair[0] == "#", pair[0]))


def service_get_visible(slug: str) -> Service | None:
    found = (Service.objects.filter(slug=slug, is_published=True)
             .select_related("life_situation", "office").prefetch_related("forms").first())
    if found is not None and found.office is not None:
        # The office's hours for "open now" (two more queries), attached to the same object.
        found.office = _hours_prefetch(Office.objects.filter(pk=found.office_id)).first()
    return found


def service_get(slug: str) -> Service | None:
    return Service.objects.filter(slug=slug).select_related("office", "life_situation").first()


def service_list_manage() -> QuerySet[Service]:
    return Service.objects.select_related("office", "life_situation").order_by("title", "id")


# --- Fundbüro ---------------------------------------------------------------------------------


def found_visible_q() -> Q:
    return Q(hidden_at__isnull=True, returned_at__isnull=True, expires_on__gte=today_local())


def found_item_list_visible(*, search: str | None = None, category: str | None = None) -> QuerySet[FoundItem]:
    items = FoundItem.objects.filter(found_visible_q()).select_related("office")
    if category:
        items = items.filter(category=category)
    for word in (search or "").split()[:5]:
        items = items.filter(Q(title__icontains=word) | Q(description__icontains=word)
                             | Q(place_found__icontains=word))
    return items.order_by("-found_on", "-id")


def found_item_get_visible(pk: int) -> FoundItem | None:
    return FoundItem.objects.filter(found_visible_q(), pk=pk).select_related("office").first()


def found_item_get(pk: int) -> FoundItem | None:
    return FoundItem.objects.filter(pk=pk).select_related("office").first()


def found_item_list_manage() -> QuerySet[FoundItem]:
    return FoundItem.objects.select_related("office").order_by("-found_on", "-id")


# --- capabilities: map and calendar -----------------------------------------------------------


def map_points(request: HttpRequest) -> list[MapPoint]:
    """The offices that have a map point (one query)."""
    offices = Office.objects.filter(latitude__isnull=False, longitude__isnull=False)[:MAX_POINTS_PER_LAYER]
    return [MapPoint(lat=float(office.latitude), lon=float(office.longitude), title=office.name,
                     url=office.get_absolute_url(), text=office.address, category=_("Town hall"))
            for office in offices]


def calendar_entries(start: datetime.datetime, end: datetime.datetime, *,
                     ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """Closed days and special opening days of the offices (CalendarSource "aemter"), one query.

    Weekly hours are already in the town's "sprechzeiten" source (they are the town's OfficeHour rows).
    """
    days = OfficeDay.objects.select_related("office").filter(
        start_date__lt=end.date() + datetime.timedelta(days=1), end_date__gte=start.date())
    if ortsgemeinde_id is not None:
        days = days.filter(Q(office__ortsgemeinde_id=ortsgemeinde_id) | Q(office__ortsgemeinde__isnull=True))
    entries = []
    for day in days:
        office = day.office
        if day.closed:
            title = _("%(office)s closed") % {"office": office.name}
            entry_start: Any = day.start_date
            entry_end: Any = day.end_date + datetime.timedelta(days=1)
        else:
            title = _("%(office)s: special opening hours") % {"office": office.name}
            entry_start = datetime.datetime.combine(day.start_date, day.opens, tzinfo=TOWN_TZ)
            entry_end = datetime.datetime.combine(day.start_date, day.closes, tzinfo=TOWN_TZ)
        days_long = (day.end_date - day.start_date).days + 1
        entries.append(CalendarEntry(
            uid=f"day-{day.pk}", title=title, start=entry_start, end=entry_end, description=day.note,
            # Special hours over several days: the same times each day.
            rrule=f"FREQ=DAILY;COUNT={days_long}" if not day.closed and days_long > 1 else "",
            location=office.address, path=office.get_absolute_url(), ortsgemeinde_id=office.ortsgemeinde_id,
            updated_at=day.updated_at,
        ))
    return entries
