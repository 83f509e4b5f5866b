"""The town calendar page (/kalender/): every enabled module's CalendarSource in one month, week or list view.

Generic over the sources: events, the town's office hours, waste collection or council meetings all
arrive as core.calendar entries (series expanded here for the month shown). Each source costs its own
fixed number of queries; the page adds one for the Ortsgemeinden of the filter, and the sources' facets
(categories, organisations) theirs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.views.decorators.http import require_GET

from core.calendar import (
    CATEGORY,
    ORGANISATION,
    TOWN_TZ,
    CalendarPlaces,
    SourcedEntry,
    _as_datetime,
    calendar_facets,
    calendar_sources,
    occurrences,
    public_entries,
)
from core.capabilities import call, declared

MAX_PER_DAY_IN_GRID = 6  # more are behind "n more" (the list view shows them all)


@dataclass(frozen=True)
class DayEntry:
    """One occurrence of an entry on one day of the page."""

    title: str
    path: str
    source_key: str
    source_label: str
    start: datetime.datetime  # aware, in the town's zone
    all_day: bool
    cancelled: bool
    location: str
    first_day: bool  # False on the later days of a multi-day entry


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    entries: list[DayEntry] = field(default_factory=list)


def _month_of(value: str | None, today: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _duration(item: SourcedEntry) -> datetime.timedelta:
    entry = item.entry
    if entry.end is None:
        return datetime.timedelta(days=1) if entry.all_day else datetime.timedelta(0)
    return _as_datetime(entry.end) - _as_datetime(entry.start)


def _spread(items: list[SourcedEntry], first: datetime.date,
            last: datetime.date) -> dict[datetime.date, list[DayEntry]]:
    """Each occurrence on every day it covers between first and last (a three-day Kirmes on three days)."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=TOWN_TZ)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=TOWN_TZ)
    days: dict[datetime.date, list[DayEntry]] = {}
    for item in items:
        entry, length = item.entry, _duration(item)
        for moment in occurrences(entry, start - length, end):
            begin = _as_datetime(moment).astimezone(TOWN_TZ)
            finish = begin + length
            if finish <= start and length:
                continue
            # The last day an entry covers: an all-day end (or a timed end at midnight) is exclusive.
            final = (finish - datetime.timedelta(microseconds=1)).date() if length else begin.date()
            day = max(begin.date(), first)
            while day <= min(final, last):
                days.setdefault(day, []).append(DayEntry(
                    title=entry.title, path=entry.path, source_key=item.source.key,
                    source_label=str(item.source.label), start=begin, all_day=entry.all_day,
                    cancelled=entry.cancelled, location=entry.location, first_day=day == begin.date()))
                day += datetime.timedelta(days=1)
    for found in days.values():
        found.sort(key=lambda e: (not e.all_day, e.start.time() if not e.all_day else datetime.time.min, e.title))
    return days


def entries_on(day: datetime.date, *, ortsgemeinde_id: int | None = None) -> list[DayEntry]:
    """Every public entry on `day` (its own and the town-wide ones for a village), as the list view orders them.

    For pages that show one day without the calendar around it (a public screen's "Heute").
    """
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=TOWN_TZ)
    # A series or multi-day entry that began earlier is found through its sources' own window rules.
    items = public_entries(start, start + datetime.timedelta(days=1), ortsgemeinde_id=ortsgemeinde_id)
    return _spread(items, day, day).get(day, [])


VIEWS = ("monat", "woche", "liste")
# Quick ranges of the list view: today, and Friday to Sunday of this week.
RANGES = ("heute", "wochenende")


def _day_of(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _weekend_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    friday = today + datetime.timedelta(days=4 - today.weekday())
    return max(friday, today), friday + datetime.timedelta(days=2)


def _choice(value: str | None, allowed: set[str]) -> str | None:
    return value if value in allowed else None


@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localtime(timezone.now(), TOWN_TZ).date()
    month = _month_of(request.GET.get("monat"), today)
    view = request.GET.get("ansicht") if request.GET.get("ansicht") in VIEWS else "monat"
    span = request.GET.get("zeitraum") if request.GET.get("zeitraum") in RANGES else ""
    if span:
        view = "liste"
    # The week view shows the week of ?tag= (default: this week, or the month's first week when paging months).
    anchor = _day_of(request.GET.get("tag")) or (today if month == today.replace(day=1) else month)
    week_start = anchor - datetime.timedelta(days=anchor.weekday())
    if view == "woche":
        month = anchor.replace(day=1)
    sources = [source for source in calendar_sources() if source.entries is not None]
    source_key = _choice(request.GET.get("quelle") or None, {source.key for source in sources})
    facets = calendar_facets([s for s in sources if source_key in (None, s.key)])
    category = _choice(request.GET.get(CATEGORY) or None, {f.slug for f in facets.get(CATEGORY, [])})
    organisation = _choice(request.GET.get(ORGANISATION) or None, {f.slug for f in facets.get(ORGANISATION, [])})
    places_capability = next(iter(declared(CalendarPlaces)), None)
    places = list(call(places_capability.places)) if places_capability else []
    chosen = request.GET.get("ort")
    place = next((p for p in places if p.slug == chosen), None)
    if place is None and chosen in (None, "") and places_capability is not None:
        # No choice made: a resident sees their own village's dates plus the town's.
        home = call(places_capability.home, request.user)
        place = next((p for p in places if p.pk == home), None)

    last_of_month = _add_months(month, 1) - datetime.timedelta(days=1)
    if span == "heute":
        first = last = today
    elif span == "wochenende":
        first, last = _weekend_of(today)
    elif view == "woche":
        first, last = week_start, week_start + datetime.timedelta(days=6)
    elif view == "monat":  # whole weeks, Monday to Sunday
        first = month - datetime.timedelta(days=month.weekday())
        last = last_of_month + datetime.timedelta(days=6 - last_of_month.weekday())
    else:
        first, last = month, last_of_month
    window_start = datetime.datetime.combine(first, datetime.time.min, tzinfo=TOWN_TZ)
    window_end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=TOWN_TZ)
    items = public_entries(window_start, window_end, ortsgemeinde_id=place.pk if place else None,
                           source_key=source_key, category=category, organisation=organisation)
    by_day = _spread(items, first, last)
    days = []
    day = first
    while day <= last:
        days.append(Day(date=day, in_month=day.month == month.month or view != "monat", is_today=day == today,
                        entries=by_day.get(day, [])))
        day += datetime.timedelta(days=1)

    def link(**changes: Any) -> str:
        # "alle" keeps an explicit "all villages" while paging; no parameter means "my village".
        params = {"ansicht": view, "monat": f"{month:%Y-%m}", "tag": f"{week_start:%Y-%m-%d}" if view == "woche"
                  else "", "zeitraum": span, "ort": place.slug if place else ("alle" if places else ""),
                  "quelle": source_key or "", CATEGORY: category or "", ORGANISATION: organisation or ""}
        params.update(changes)
        return reverse("calendar") + "?" + "&".join(f"{k}={v}" for k, v in params.items() if v)

    previous_month, next_month = _add_months(month, -1), _add_months(month, 1)
    week = datetime.timedelta(days=7)
    if view == "woche":
        previous_url = link(tag=f"{week_start - week:%Y-%m-%d}", monat="")
        next_url = link(tag=f"{week_start + week:%Y-%m-%d}", monat="")
        today_url = link(tag=f"{today:%Y-%m-%d}", monat="")
    else:
        previous_url = link(monat=f"{previous_month:%Y-%m}", zeitraum="")
        next_url = link(monat=f"{next_month:%Y-%m}", zeitraum="")
        today_url = link(monat=f"{today:%Y-%m}", zeitraum="")
    return render(request, "core/calendar.html", {
        "month": month, "view": view, "today": today, "span": span, "first": first, "last": last,
        "weeks": [days[i:i + 7] for i in range(0, len(days), 7)] if view == "monat" else [],
        "week_days": days if view == "woche" else [],
        "list_days": [d for d in days if d.entries] if view == "liste" else [],
        "weekdays": [(WEEKDAYS_ABBR[i], WEEKDAYS[i]) for i in range(7)],
        "sources": sources, "source_key": source_key or "", "places": places, "place": place,
        "categories": facets.get(CATEGORY, []), "category": category or "",
        "organisations": facets.get(ORGANISATION, []), "organisation": organisation or "",
        "previous_url": previous_url, "next_url": next_url, "today_url": today_url,
        "month_url": link(ansicht="monat", tag="", zeitraum=""),
        "week_url": link(ansicht="woche", tag=f"{week_start:%Y-%m-%d}", zeitraum=""),
        "list_url": link(ansicht="liste", tag="", zeitraum=""),
        "today_list_url": link(ansicht="liste", zeitraum="heute", tag="", monat=""),
        "weekend_url": link(ansicht="liste", zeitraum="wochenende", tag="", monat=""),
        "max_per_day": MAX_PER_DAY_IN_GRID,
        "ical_url": (reverse("town:calendar-feed-ortsgemeinde", kwargs={"ortsgemeinde": place.slug}) if place
                     else reverse("town:calendar-feed")),
    })
