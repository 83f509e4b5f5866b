"""Plain helpers for the Mitfahren tests: days ahead, a hand-made geography of the demo's villages."""

from __future__ import annotations

import datetime

from django.utils import timezone

# Rough real positions (WGS84) of places in the Verbandsgemeinde Betzdorf-Gebhardshain.
PLACES = {
    "nauroth": (50.7000, 7.8800),
    "elkenroth": (50.7350, 7.8780),
    "kausen": (50.7560, 7.8700),
    "betzdorf": (50.7880, 7.8720),  # Bahnhof
    "gebhardshain": (50.7440, 7.8180),
    "scheuerfeld": (50.7900, 7.8450),
}


def next_weekday(weekday: int, *, weeks: int = 1) -> datetime.date:
    """That weekday at least a few days ahead (never today, so any time of day is in the future)."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)
