"""The rule engine: pickup dates from "every second Tuesday", moved around the Land's public holidays.

German disposal companies move collections after a public holiday the same way: a holiday on a
weekday pushes every later collection of that week one day on (the Friday's to Saturday), so
a holiday on Wednesday moves Wednesday to Thursday, Thursday to Friday and Friday to Saturday;
Monday and Tuesday stay. Two holidays in one week (Christmas) push by two. A day that lands on
a holiday or a Sunday moves on once more.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

import holidays as holidays_lib


def public_holidays(land: str, years: Iterable[int]) -> frozenset[datetime.date]:
    """The Land's public holidays (e.g. "RP") in these years."""
    return _holidays(land, tuple(sorted(set(years))))


@functools.lru_cache(maxsize=64)
def _holidays(land: str, years: tuple[int, ...]) -> frozenset[datetime.date]:
    # Computing a year's holidays takes milliseconds; an import or the demo asks for the same years often.
    return frozenset(holidays_lib.country_holidays("DE", subdiv=land, years=list(years)).keys())


def holiday_shifted(day: datetime.date, holidays: frozenset[datetime.date] | set[datetime.date]) -> datetime.date:
    """Where a collection planned for `day` takes place in a week with public holidays."""
    monday = day - datetime.timedelta(days=day.weekday())
    earlier = sum(1 for offset in range(day.weekday() + 1)
                  if (monday + datetime.timedelta(days=offset)) in holidays and offset < 5)
    moved = day + datetime.timedelta(days=earlier)
    while moved in holidays or moved.weekday() == 6:
        moved += datetime.timedelta(days=1)
    return moved


def rule_dates(*, first: datetime.date, every_weeks: int, year: int, land: str,
               shift_holidays: bool = True) -> list[datetime.date]:
    """The collections of one rule in `year`: from `first` every `every_weeks` weeks, holidays moved."""
    if every_weeks < 1:
        return []
    step = datetime.timedelta(weeks=every_weeks)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    day = first
    if day < start:  # the anchor may lie in an earlier year: walk to the first date in this one
        day += step * ((start - day).days // step.days)
        while day < start:
            day += step
    holidays = public_holidays(land, [year, year + 1]) if shift_holidays else frozenset()
    found: list[datetime.date] = []
    while day <= end:
        found.append(holiday_shifted(day, holidays))
        day += step
    # A shift past New Year's Eve would land in the next year's plan: that plan owns it.
    return [d for d in found if d.year == year]
