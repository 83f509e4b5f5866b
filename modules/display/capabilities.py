"""What the Schaukasten asks other modules for (importable before the models load).

A module that has something for a public screen provides a :class:`ScreenContent`; the display
module never names it. The screen is public: a provider returns only what an anonymous visitor
of the town's site may read, never a resident's name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.capabilities import Capability, Ref

# Sections of the screen, in the order a passer-by should read them.
WARNINGS = "warnings"  # official warnings and urgent notices: always shown, most severe first
NEWS = "news"  # rotating, one at a time


@dataclass(frozen=True)
class ScreenItem:
    """One piece of the screen, plain text (the screen escapes it)."""

    section: str  # WARNINGS or NEWS
    title: str
    text: str = ""  # a few sentences at most; the screen cuts longer ones
    label: str = ""  # what kind of thing it is, in words ("Unwetterwarnung: Gefahr", "Amtliche Nachricht")
    # Lower is more urgent; the screen sorts by it. Official warnings use their severity (0 extreme .. 4),
    # urgent notices 10, notices 20, news 50.
    priority: int = 50
    # Shown in the top banner too (the weather and civil-protection warnings of every page's banner).
    banner: bool = False
    published_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ScreenContent(Capability):
    """What a module puts on the town's public screens.

    ``items(ortsgemeinde_id, limit)`` returns at most ``limit`` :class:`ScreenItem`s for a screen in
    that Ortsgemeinde (its own and the town-wide ones; ``None``: a screen for the whole town), in a
    fixed number of queries whatever the number of rows.
    """

    kind_label = "ScreenContent"

    items: Ref  # (ortsgemeinde_id: int | None, limit: int) -> Sequence[ScreenItem]
    order: int = 100
