"""Reads of the Abfallkalender, each in a fixed number of queries whatever the number of dates."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from core.audience import audience_fact
from core.calendar import CalendarEntry
from core.page_cache import cached
from modules.waste.facts import SAVED_STREET
from modules.waste.models import AreaStreet, Pickup, PickupArea, WasteHome, WasteImport, WasteType
from town.models import Ortsgemeinde


def today() -> datetime.date:
    return timezone.localdate()


def waste_type_list() -> list[WasteType]:
    return list(WasteType.objects.all())


def area_get(*, slug: str) -> PickupArea | None:
    return PickupArea.objects.select_related("ortsgemeinde").filter(slug=slug).first()


def area_list() -> QuerySet[PickupArea]:
    return (PickupArea.objects.select_related("ortsgemeinde")
            .prefetch_related(Prefetch("area_streets", queryset=AreaStreet.objects.select_related("street")
                                       .order_by("street__name")))
            .annotate(pickup_count=Count("pickups")).order_by("ortsgemeinde__name", "name"))


@dataclass(frozen=True)
class Choice:
    value: str  # "a<area id>" or "s<street id>"
    label: str


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: list[Choice]


def place_choices() -> list[ChoiceGroup]:
    """What a resident picks from: each Ortsgemeinde, whole (one area) or by street.

    The same for every visitor and changed only by the town's admins: from the page cache (no query),
    three queries when a change to areas, streets or Ortsgemeinden dropped it.
    """
    return cached("waste-place-choices", ("waste", "town"), _place_choices_read, seconds=3600)


def _place_choices_read() -> list[ChoiceGroup]:
    groups: dict[int, ChoiceGroup] = {}
    names: dict[int, str] = dict(Ortsgemeinde.objects.values_list("pk", "name"))
    links = list(AreaStreet.objects.select_related("street").order_by("street__name"))
    by_area: dict[int, list[AreaStreet]] = defaultdict(list)
    for link in links:
        by_area[link.area_id].append(link)
    for area in PickupArea.objects.order_by("name"):
        group = groups.setdefault(area.ortsgemeinde_id, ChoiceGroup(names.get(area.ortsgemeinde_id, ""), []))
        if by_area.get(area.pk):
            group.choices.extend(Choice(f"s{link.street_id}", f"{link.street.name}, {group.label}")
                                 for link in by_area[area.pk])
        else:
            group.choices.append(Choice(f"a{area.pk}", group.label))
    for group in groups.values():
        group.choices.sort(key=lambda choice: choice.label)
    return sorted(groups.values(), key=lambda group: group.label)


def choice_resolve(value: str) -> tuple[PickupArea, Any] | None:
    """(area, street or None) for a picker value; None when it names nothing of this town."""
    if len(value) < 2 or not value[1:].isdigit():
        return None
    pk = int(value[1:])
    if value[0] == "a":
        area = PickupArea.objects.select_related("ortsgemeinde").filter(pk=pk).first()
        return (area, None) if area is not None else None
    if value[0] == "s":
        link = AreaStreet.objects.select_related("area__ortsgemeinde", "street").filter(street_id=pk).first()
        return (link.area, link.street) if link is not None else None
    return None


def saved_street_fact(user: Any) -> str | None:
    """None when `user` saved a street (their waste pages are their own), else ""."""
    return None if WasteHome.objects.filter(user_id=user.pk).exists() else ""


def home_get(user: Any) -> WasteHome | None:
    if not user.is_authenticated or audience_fact(user, SAVED_STREET) == "":
        return None
    return WasteHome.objects.select_related("area__ortsgemeinde", "street").filter(user=user).first()


def pickups_between(*, area: PickupArea, start: datetime.date, end: datetime.date,
                    waste_type: WasteType | None = None) -> list[Pickup]:
    """Collections in `area` from `start` up to and including `end`, by date."""
    found = Pickup.objects.filter(area=area, date__gte=start, date__lte=end).select_related("waste_type")
    if waste_type is not None:
        found = found.filter(waste_type=waste_type)
    return list(found.order_by("date", "waste_type__position", "waste_type__name"))


def pickups_next(*, area: PickupArea, limit: int = 8, start: datetime.date | None = None) -> list[Pickup]:
    start = start or today()
    return list(Pickup.objects.filter(area=area, date__gte=start).select_related("waste_type")
                .order_by("date", "waste_type__position", "waste_type__name")[:limit])


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    pickups: list[Pickup] = field(default_factory=list)


def month_weeks(*, area: PickupArea, year: int, month: int) -> list[list[Day]]:
    """The month as weeks (Monday first) with each day's collections; one query."""
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day: dict[datetime.date, list[Pickup]] = defaultdict(list)
    for pickup in pickups_between(area=area, start=start, end=end):
        by_day[pickup.date].append(pickup)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


def pickups_of_year(*, area: PickupArea, year: int) -> list[Pickup]:
    return pickups_between(area=area, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


# --- import preview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewLine:
    area: str
    waste_type: str
    added: list[datetime.date]
    removed: list[datetime.date]
    unchanged: int


def import_list_recent(limit: int = 10) -> list[WasteImport]:
    return list(WasteImport.objects.order_by("-created_at", "-id")[:limit])


def import_get(*, pk: int) -> WasteImport | None:
    return WasteImport.objects.filter(pk=pk).first()


def import_preview(waste_import: WasteImport) -> list[PreviewLine]:
    """What applying would change, per area and type. Three queries."""
    new: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    for day, kind, area in waste_import.rows:
        new[(area, kind)].add(datetime.date.fromisoformat(day))
    areas = {row[2] for row in waste_import.rows}
    types = {row[1] for row in waste_import.rows}
    old: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    for area, kind, day in Pickup.objects.filter(area_id__in=areas, waste_type_id__in=types,
                                                 date__year=waste_import.year).values_list("area_id", "waste_type_id",
                                                                                           "date"):
        old[(area, kind)].add(day)
    area_names = dict(PickupArea.objects.filter(pk__in=areas).values_list("pk", "name"))
    type_names = dict(WasteType.objects.filter(pk__in=types).values_list("pk", "name"))
    lines = [
        PreviewLine(area=area_names.get(area, "?"), waste_type=type_names.get(kind, "?"),
                    added=sorted(new[(area, kind)] - old[(area, kind)]),
                    removed=sorted(old[(area, kind)] - new[(area, kind)]),
                    unchanged=len(new[(area, kind)] & old[(area, kind)]))
        for area, kind in set(new) | set(old)
    ]
    return sorted(lines, key=lambda line: (line.area, line.waste_type))


# --- calendar source ---------------------------------------------------------------------------


def calendar_personal_entries(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[CalendarEntry]:
    """The collections of the resident's own area in their personal town feed (two queries).

    Only here and not in the public town feed: 17 Ortsgemeinden with five types each would put
    some 1,500 entries a year into every visitor's town calendar, most of them for other streets.
    Each area has its own public feed on the waste calendar page instead.
    """
    home = WasteHome.objects.select_related("area").filter(user=user).first()
    if home is None:
        return []
    pickups = pickups_between(area=home.area, start=start.date(), end=end.date())
    return [CalendarEntry(uid=f"{home.area.slug}-{p.waste_type.slug}-{p.date:%Y%m%d}",
                          title=p.waste_type.name, start=p.date, path=home.area.get_absolute_url(),
                          ortsgemeinde_id=home.area.ortsgemeinde_id, updated_at=p.updated_at)
            for p in pickups]
