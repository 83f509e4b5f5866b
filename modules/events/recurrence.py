"""Recurrence rules: what editors choose ("every week until ...") as RFC 5545 RRULE strings, checked.

A series stays one row; pages expand it with core.calendar.occurrences. The rule is checked here so
that nothing unbounded or absurd is stored: only daily, weekly, monthly and yearly rules, and no
more than MAX_OCCURRENCES_PER_YEAR dates a year (a daily rule is the most an event can repeat).
"""

from __future__ import annotations

import datetime

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.calendar import TOWN_TZ

ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# What the form offers (value -> builder); "custom" rules come from the API.
REPEAT_CHOICES = ("", "weekly", "biweekly", "monthly_weekday", "monthly_day")


def rule_build(repeat: str, start: datetime.datetime, until: datetime.date | None) -> str:
    """The RRULE for a choice of the form, in the town's zone (a weekly 19:00 stays 19:00 after DST)."""
    if not repeat:
        return ""
    local = start.astimezone(TOWN_TZ)
    day = _BYDAY[local.weekday()]
    if repeat == "weekly":
        rule = f"FREQ=WEEKLY;BYDAY={day}"
    elif repeat == "biweekly":
        rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    elif repeat == "monthly_weekday":
        nth = (local.day - 1) // 7 + 1
        rule = f"FREQ=MONTHLY;BYDAY={'-1' if nth == 5 else nth}{day}"
    elif repeat == "monthly_day":
        rule = f"FREQ=MONTHLY;BYMONTHDAY={local.day}"
    else:
        raise ValidationError({"repeat": _("Please choose how often the event takes place.")})
    if until is not None:
        # UNTIL in UTC as RFC 5545 requires with a zoned DTSTART; the end of that day in the town counts.
        end = datetime.datetime.combine(until, datetime.time(23, 59, 59), tzinfo=TOWN_TZ).astimezone(datetime.UTC)
        rule += f";UNTIL={end:%Y%m%dT%H%M%SZ}"
    return rule


def rule_parse(rule: str, start: datetime.datetime) -> rrule:
    """The dateutil rule for `rule` starting at `start`, or a ValidationError in plain words."""
    text = rule.strip().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise ValidationError({"rrule": _("An event can repeat daily, weekly, monthly or yearly.")})
    if "\n" in text or "BYSECOND" in parts or "BYMINUTE" in parts or "BYHOUR" in parts:
        raise ValidationError({"rrule": _("This repetition rule is not supported.")})
    try:
        parsed = rrulestr(text, dtstart=start.astimezone(TOWN_TZ))
    except (ValueError, TypeError) as error:
        raise ValidationError({"rrule": _("This repetition rule is not valid.")}) from error
    if not isinstance(parsed, rrule):
        raise ValidationError({"rrule": _("This repetition rule is not valid.")})
    first = parsed.after(start.astimezone(TOWN_TZ), inc=True)
    if first is None:
        raise ValidationError({"rrule": _("With this rule the event never takes place.")})
    return parsed


def all_day_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> datetime.timedelta:
    """From an all-day event's first day to its last, in whole days of the town's calendar.

    Not ``ends_at - starts_at``: a day over a clock change has 23 or 25 hours, so that length, added
    to a midnight, lands an hour off and in spring on the day before (a Kirmes from Saturday to Monday
    would end on Sunday). Add this span to a date, or to a midnight in the town's zone.
    """
    return ends_at.astimezone(TOWN_TZ).date() - starts_at.astimezone(TOWN_TZ).date()


def wall_clock_end(starts_at: datetime.datetime, ends_at: datetime.datetime,
                   start: datetime.datetime) -> datetime.datetime:
    """The end of the date of an event that begins at `start`: the end the organiser entered, read on the
    town's wall clock, on that date (a weekly Saturday 20:00 to Sunday 04:00 ends at 04:00 every week).

    Not ``start + (ends_at - starts_at)``: that length is elapsed time, 7 or 9 hours for a night over a
    clock change, so any other date would end an hour early or late (and Python adds a timedelta to a
    local time on the wall clock, so even the same date goes wrong once its start is local). For the
    event's own first date it gives ``ends_at`` back; for an all-day event the midnight of the last day.
    """
    local_start, local_end = starts_at.astimezone(TOWN_TZ), ends_at.astimezone(TOWN_TZ)
    last_day = start.astimezone(TOWN_TZ).date() + (local_end.date() - local_start.date())
    # .time() keeps `fold`: an end in the repeated autumn hour stays the second 02:30 on its own date.
    return datetime.datetime.combine(last_day, local_end.time(), tzinfo=TOWN_TZ)


def series_end(rule: str, starts_at: datetime.datetime, ends_at: datetime.datetime) -> datetime.datetime | None:
    """The end of the last date of a series, or None for a series without end (expanded on read, never stored).

    The last date ends at the wall-clock end of the first (wall_clock_end): an all-day series at the
    midnight of its last day, whatever clock change lies between.
    """
    parsed = rule_parse(rule, starts_at)
    if parsed._count is None and parsed._until is None:  # noqa: SLF001 (dateutil keeps them private)
        return None
    last = starts_at
    for last in parsed:  # noqa: B007 (bounded by COUNT or UNTIL)
        pass
    return wall_clock_end(starts_at, ends_at, last)


def frequency_label(rule: str) -> str:
    """A few plain words for the event page ("every week")."""
    if not rule:
        return ""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1") or 1)
    freq = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}.get(parts.get("FREQ", ""))
    if freq == WEEKLY:
        return _("every week") if interval == 1 else _("every %(n)d weeks") % {"n": interval}
    if freq == MONTHLY:
        return _("every month")
    if freq == DAILY:
        return _("every day")
    if freq == YEARLY:
        return _("every year")
    return ""
