"""What an issue collects: the enabled modules' BulletinSources and the town calendar's dated entries.

Only capabilities are asked (``core.capabilities.provided``, ``core.calendar.public_entries``), never a
module, so a module switched off in the town simply contributes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.calendar import TOWN_TZ, occurrences, public_entries
from core.capabilities import call, provided
from modules.bulletin.capabilities import BulletinCandidate, BulletinSource

# Weekly office hours repeat in every issue and are on the town's page anyway; rides are people's own.
SKIPPED_CALENDAR_SOURCES = frozenset({"sprechzeiten", "mitfahren"})
CALENDAR_PREFIX = "kalender:"
SHORT_TEXT = 400  # what a draft copies of a text; the editor shortens further


@dataclass(frozen=True)
class Gathered:
    source_key: str
    source_label: str
    candidate: BulletinCandidate

    @property
    def key(self) -> tuple[str, str]:
        return self.source_key, self.candidate.uid


def shorten(text: str, length: int = SHORT_TEXT) -> str:
    """`text` cut at a word before `length` characters, with an ellipsis when it was cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:–- ") + " …"


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=TOWN_TZ)


def gather(*, period_start: datetime.date, period_end: datetime.date, days_ahead: int) -> list[Gathered]:
    """What was published in the period (news ...) and the dates of the `days_ahead` days after it."""
    found: list[Gathered] = []
    start, end = _day_start(period_start), _day_start(period_end + datetime.timedelta(days=1))
    for source in sorted(provided(BulletinSource), key=lambda s: (s.order, s.key)):
        found += [Gathered(source.key, str(source.label), item) for item in call(source.items, start, end)]
    ahead_end = _day_start(period_end + datetime.timedelta(days=days_ahead + 1))
    for sourced in public_entries(_day_start(period_end), ahead_end):
        source, entry = sourced.source, sourced.entry
        if source.key in SKIPPED_CALENDAR_SOURCES:
            continue
        starts = occurrences(entry, _day_start(period_end), ahead_end)
        if not starts:
            continue
        place = f"{entry.location}. " if entry.location else ""
        found.append(Gathered(
            CALENDAR_PREFIX + source.key, str(source.label),
            BulletinCandidate(uid=entry.uid, title=entry.title, text=shorten(place + entry.description),
                              path=entry.path, date=starts[0], ortsgemeinde_id=entry.ortsgemeinde_id,
                              kind_label=str(source.label))))
    return found


def as_datetime(moment: datetime.datetime | datetime.date | None) -> tuple[datetime.datetime | None, bool]:
    """(an aware datetime, all day?) for an item's date."""
    if moment is None:
        return None, False
    if isinstance(moment, datetime.datetime):
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment, TOWN_TZ)), False
    return _day_start(moment), True
