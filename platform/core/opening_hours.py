"""Opening hours as pure functions (the Branchenbuch's businesses, the town hall's offices): no database, no clock.

Hours are wall-clock times in Europe/Berlin. A moment is first converted to
local time, so the DST changes need no special casing: on the last Sunday of
March local 02:00–02:59 never occurs (an interval inside it is simply never
open), on the last Sunday of October 02:00–02:59 occurs twice (both times
count as 02:xx local time).

Precedence for a date: an exception that closes the business wins over
everything; special hours of that date replace its regular hours; otherwise
the weekday's regular intervals apply. An interval that runs past midnight
belongs to the date it starts on, so a holiday on Tuesday does not cut short
Monday night's 18:00–02:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True)
class Interval:
    """Regular hours on a weekday (0 = Monday)."""

    weekday: int
    opens: time
    closes: time
    closes_next_day: bool = False


@dataclass(frozen=True)
class Exception_:
    """Closed from `start` to `end` (inclusive), or open with special hours on those dates."""

    start: date
    end: date
    closed: bool = True
    opens: time | None = None
    closes: time | None = None
    closes_next_day: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DayHours:
    """One opening interval on a concrete date; `closes_next_day` as above."""

    opens: time
    closes: time
    closes_next_day: bool = False


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def hours_on(day: date, intervals: Iterable[Interval], exceptions: Iterable[Exception_]) -> list[DayHours]:
    """The intervals that start on `day`, after holidays and special hours are applied."""
    covering = [exception for exception in exceptions if exception.covers(day)]
    if any(exception.closed for exception in covering):
        return []
    if covering:
        return sorted(
            (
                DayHours(exception.opens, exception.closes, exception.closes_next_day)
                for exception in covering
                if exception.opens is not None and exception.closes is not None
            ),
            key=lambda hours: hours.opens,
        )
    weekday = day.weekday()
    return sorted(
        (DayHours(i.opens, i.closes, i.closes_next_day) for i in intervals if i.weekday == weekday),
        key=lambda hours: hours.opens,
    )


def local_time(moment: datetime) -> datetime:
    """`moment` (aware) as wall-clock time in Europe/Berlin."""
    if moment.tzinfo is None:
        raise ValueError("opening hours need an aware datetime")
    return moment.astimezone(BERLIN)


def is_open_at(moment: datetime, intervals: Sequence[Interval], exceptions: Sequence[Exception_] = ()) -> bool:
    """Is the business open at `moment` (an aware datetime, any zone)?"""
    return open_until(moment, intervals, exceptions) is not None


def open_until(
    moment: datetime, intervals: Sequence[Interval], exceptions: Sequence[Exception_] = ()
) -> time | None:
    """The local closing time of the interval `moment` falls into, or None when closed.

    Opening time is inclusive, closing time exclusive (open 07:00–12:00 means
    closed at 12:00 sharp).
    """
    local = local_time(moment)
    today = local.date()
    now = local.hour * 60 + local.minute
    for hours in hours_on(today, intervals, exceptions):
        start, end = _minutes(hours.opens), _minutes(hours.closes)
        if hours.closes_next_day:
            if now >= start:
                return hours.closes
        elif start <= now < end:
            return hours.closes
    # Last night's interval that runs past midnight into today.
    for hours in hours_on(today - timedelta(days=1), intervals, exceptions):
        if hours.closes_next_day and now < _minutes(hours.closes):
            return hours.closes
    return None


def intervals_problems(intervals: Sequence[Interval]) -> list[str]:
    """Why this set of regular hours cannot be stored: a list of problem codes with their interval.

    Returns tuples as "code:index" strings so the caller words the message
    (codes: "inverted", "too-long", "overlap"). Empty means fine. Intervals
    past midnight are checked against the next day's hours too (Sunday night
    runs into Monday).
    """
    problems: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for index, interval in enumerate(intervals):
        start = interval.weekday * MINUTES_PER_DAY + _minutes(interval.opens)
        end = interval.weekday * MINUTES_PER_DAY + _minutes(interval.closes)
        if interval.closes_next_day:
            # closes == opens with "next day" is a full 24 hours (a vending machine, a farm shop's honesty box).
            if _minutes(interval.closes) > _minutes(interval.opens):
                problems.append(f"too-long:{index}")
                continue
            end += MINUTES_PER_DAY
        elif end <= start:
            problems.append(f"inverted:{index}")
            continue
        spans.append((start, end, index))
    # Unroll the week once so Sunday-night intervals meet Monday's.
    unrolled = sorted(spans + [(s + MINUTES_PER_WEEK, e + MINUTES_PER_WEEK, i) for s, e, i in spans])
    reported: set[int] = set()
    furthest_end, furthest_index = -1, -1
    for start, end, index in unrolled:
        if start < furthest_end and index != furthest_index and index not in reported:
            problems.append(f"overlap:{index}")
            reported.add(index)
        if end > furthest_end:
            furthest_end, furthest_index = end, index
    return problems


def week_table(intervals: Sequence[Interval]) -> list[tuple[int, list[Interval]]]:
    """(weekday, its intervals in order) for Monday to Sunday, for display."""
    by_day: dict[int, list[Interval]] = {day: [] for day in range(7)}
    for interval in intervals:
        by_day[interval.weekday].append(interval)
    return [(day, sorted(items, key=lambda i: i.opens)) for day, items in by_day.items()]
