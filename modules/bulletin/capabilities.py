"""What the Mitteilungsblatt collects from other modules (importable before the models load).

A module whose published content belongs in the town's weekly issue lists a
:class:`BulletinSource` in its ``provides``. The bulletin asks every enabled source for what it
published in an issue's period and snapshots it into the draft; it never imports a module. Dated
entries (events, Bekanntmachungen, council meetings) need no source of their own: the bulletin reads
them from the town calendar (``core.calendar.CalendarSource``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.capabilities import Capability, Ref

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class BulletinCandidate:
    """One published piece of content an issue may print. Plain text only.

    ``uid`` is stable and unique within its source: the bulletin recognises the item by it when it
    checks, before publishing, whether the source still has it. ``ortsgemeinde_id`` None means the
    whole town. ``path`` is a path on the town's site (the printed QR code leads there).
    """

    uid: str
    title: str
    text: str
    path: str
    date: datetime.datetime | datetime.date | None = None
    ortsgemeinde_id: int | None = None
    kind_label: str = ""  # "Amtliche Nachricht", "Verein: TuS Elkenroth"


@dataclass(frozen=True)
class BulletinSource(Capability):
    """Published content a module offers the Mitteilungsblatt.

    ``items(start, end)`` returns the :class:`BulletinCandidate` objects published between ``start``
    and ``end`` (aware datetimes) that everyone may see, in a fixed number of queries. ``key`` is
    unique and never renamed (drafts store it).
    """

    key: str
    label: StrOrPromise
    items: Ref  # (start, end) -> Sequence[BulletinCandidate]
    order: int = 100

    kind_label = "bulletin source"
