"""Fixtures for the services tests: a clock set to a known moment (the module's reads use selectors.now)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from core.calendar import TOWN_TZ
from modules.services import selectors


@pytest.fixture
def clock(monkeypatch, pages_rendered) -> Callable[[str], datetime.datetime]:
    """`clock("2026-12-08 10:00")`: the module's reads see this local time (Europe/Berlin).

    Pages are rendered on every request: the visitor page cache keys on the real clock, which this
    doesn't move.
    """

    def set_to(local: str) -> datetime.datetime:
        moment = datetime.datetime.fromisoformat(local).replace(tzinfo=TOWN_TZ)
        monkeypatch.setattr(selectors, "now", lambda: moment)
        return moment

    return set_to
