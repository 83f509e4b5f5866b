"""Reading the disposal company's files: iCalendar (RFC 5545) and CSV ("date;type;area").

Both turn a file into rows of (date, waste type, area) or raise ValidationError with every
problem found (with the line or entry), so the admin can fix the file in one go. Nothing here
writes; the services store a checked import and apply it in one transaction.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from modules.waste.models import PickupArea, WasteType

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True)
class Row:
    date: datetime.date
    waste_type_id: int
    area_id: int


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is too large (at most 2 MB)."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file can't be read as text."))


def _too_many(errors: list[str]) -> list[str]:
    if len(errors) > MAX_ERRORS_SHOWN:
        more = _("… and %(count)d more problems.") % {"count": len(errors) - MAX_ERRORS_SHOWN}
        return [*errors[:MAX_ERRORS_SHOWN], more]
    return errors


def type_matcher(types: Iterable[WasteType]) -> dict[str, WasteType]:
    """Every name a type is known by (lower case) to the type."""
    return {name: kind for kind in types for name in kind.names_for_import()}


def type_for(summary: str, names: dict[str, WasteType]) -> WasteType | None:
    """The waste type an entry's title means: "Restmüll", "Abfuhr Restmüll 14-tägig", "Biotonne"."""
    text = summary.strip().casefold()
    if text in names:
        return names[text]
    # The longest known name inside the title wins ("Gelber Sack" before "Sack").
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 3 and re.search(rf"(^|\W){re.escape(name)}($|\W)", text):
            return names[name]
    return None


def single_year(dates: Sequence[datetime.date]) -> int:
    years = sorted({d.year for d in dates})
    if not years:
        raise ValidationError(_("The file contains no collection dates."))
    if len(years) > 1:
        raise ValidationError(
            _("The file mixes the years %(years)s. Import one year at a time.")
            % {"years": ", ".join(str(y) for y in years)}
        )
    return years[0]


# --- iCalendar ------------------------------------------------------------------------


def ics_rows(data: bytes, *, areas: Sequence[PickupArea], types: Sequence[WasteType]) -> tuple[int, list[Row]]:
    """(year, rows) of an iCalendar file for these areas (a company's file is per street or district)."""
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    text = _decode(data)
    if "BEGIN:VCALENDAR" not in text.upper():
        raise ValidationError(_("This is not an iCalendar file (.ics): it has no BEGIN:VCALENDAR."))
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(
            _("The iCalendar file is damaged and can't be read (%(reason)s).") % {"reason": exc}) from None
    if not areas:
        raise ValidationError(_("Choose the pickup areas this file is for."))
    names = type_matcher(types)
    found: list[tuple[datetime.date, WasteType]] = []
    unknown: dict[str, int] = {}
    bad_dates: list[str] = []
    for event in calendar.walk("VEVENT"):
        summary = str(event.get("summary", "")).strip()
        try:
            start = event.decoded("dtstart", None)
        except (ValueError, TypeError):
            start = None
        if not isinstance(start, datetime.date):
            raw = event.get("dtstart")
            bad_dates.append(str(raw.to_ical().decode() if hasattr(raw, "to_ical") else raw or _("(no date)")))
            continue
        day = start.date() if isinstance(start, datetime.datetime) else start
        kind = type_for(summary, names)
        if kind is None:
            label = summary or _("(no title)")
            unknown[label] = unknown.get(label, 0) + 1
            continue
        days = [day]
        if event.get("rrule"):
            # A series: its dates up to the end of the year, without the cancelled ones.
            first = datetime.datetime.combine(day, datetime.time())
            rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=first)
            until = datetime.datetime(day.year, 12, 31, 23, 59)
            days = [moment.date() for moment in rule.between(first, until, inc=True)]
            excluded: set[datetime.date] = set()
            for exdate in event.get("exdate", []) if isinstance(event.get("exdate"), list) else [event.get("exdate")]:
                if exdate is not None:
                    excluded |= {(d.dt.date() if isinstance(d.dt, datetime.datetime) else d.dt) for d in exdate.dts}
            days = [d for d in days if d not in excluded]
        found += [(d, kind) for d in days]
    if bad_dates:
        raise ValidationError(_("The iCalendar file is damaged: %(count)d entries have an impossible date (%(dates)s).")
                              % {"count": len(bad_dates), "dates": ", ".join(bad_dates[:3])})
    if unknown:
        raise ValidationError(
            _("The file names waste types this town doesn't have: %(names)s. Add them as waste types or as "
              "other names of an existing type, then import again.")
            % {"names": ", ".join(f"“{name}”" for name in sorted(unknown))}
        )
    year = single_year([d for d, _kind in found])
    rows = sorted({Row(d, kind.pk, area.pk) for d, kind in found for area in areas},
                  key=lambda r: (r.date, r.waste_type_id, r.area_id))
    return year, rows


# --- CSV ----------------------------------------------------------------------------------

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")


def _parse_date(text: str) -> datetime.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def csv_rows(data: bytes, *, areas: Sequence[PickupArea], types: Sequence[WasteType]) -> tuple[int, list[Row]]:
    """(year, rows) of a CSV file with the columns date;type;area (a header line is optional)."""
    text = _decode(data)
    dialect = "excel"
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), dialect, delimiter=delimiter)
    names = type_matcher(types)
    area_names = {name.casefold(): area for area in areas for name in (area.name, area.slug)}
    rows: set[Row] = set()
    errors: list[str] = []
    for number, record in enumerate(reader, start=1):
        cells = [cell.strip() for cell in record]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and _parse_date(cells[0]) is None and cells[0].casefold() in {"datum", "date"}:
            continue  # the header line
        if len(cells) < 3:
            errors.append(_("Line %(line)d: three columns are needed (date;type;area).") % {"line": number})
            continue
        day = _parse_date(cells[0])
        if day is None:
            errors.append(_("Line %(line)d: “%(value)s” is not a date (use 14.01.2027).")
                          % {"line": number, "value": cells[0][:40]})
        kind = names.get(cells[1].casefold())
        if kind is None:
            errors.append(_("Line %(line)d: unknown waste type “%(value)s”.")
                          % {"line": number, "value": cells[1][:40]})
        area = area_names.get(cells[2].casefold())
        if area is None:
            errors.append(_("Line %(line)d: unknown pickup area “%(value)s”.")
                          % {"line": number, "value": cells[2][:40]})
        if day and kind and area:
            rows.add(Row(day, kind.pk, area.pk))
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("The file has too many lines (at most %(count)d).") % {"count": MAX_ROWS})
    if errors:
        raise ValidationError(_too_many(errors))
    year = single_year([row.date for row in rows])
    return year, sorted(rows, key=lambda r: (r.date, r.waste_type_id, r.area_id))
