"""A test-only feature module that provides a calendar source, to prove the feeds work without the town app's.

`fake_calendar_module` adds it to core.modules.all_modules() and switches it on in every town;
its entries carry the Ortsgemeinde ids and the person given when it is made.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

import core.modules
from core.calendar import TOWN_TZ, CalendarEntry, CalendarSource
from core.modules import ModuleSpec
from core.tenancy import current_tenant

FAKE_KEY = "kalendertest"


def _today() -> datetime.date:
    return datetime.datetime.now(TOWN_TZ).date()


def fake_public_entries(village_id: int | None) -> list[CalendarEntry]:
    today = _today()
    first_rehearsal = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(19, 30),
                                                tzinfo=TOWN_TZ)
    return [
        # Two days, all day, town-wide.
        CalendarEntry(uid="fest-1", title="Dorffest", start=today + datetime.timedelta(days=10),
                      end=today + datetime.timedelta(days=12), description="Mit Musik", location="Festplatz",
                      path="/feste/1/"),
        # A weekly series in one village, the second rehearsal cancelled.
        CalendarEntry(uid="chor-1", title="Chorprobe", start=first_rehearsal,
                      end=first_rehearsal + datetime.timedelta(hours=2), ortsgemeinde_id=village_id,
                      rrule="FREQ=WEEKLY;COUNT=10", exdates=(first_rehearsal + datetime.timedelta(days=7),)),
        CalendarEntry(uid="markt-1", title="Wochenmarkt fällt aus", start=today + datetime.timedelta(days=3),
                      cancelled=True),
    ]


def make_fake_source(*, village_id: int | None, owner_email: str) -> CalendarSource:
    def entries(start: datetime.datetime, end: datetime.datetime, *, ortsgemeinde_id: int | None = None
                ) -> list[CalendarEntry]:
        found = [e for e in fake_public_entries(village_id) if ortsgemeinde_id is None
                 or e.ortsgemeinde_id in (None, ortsgemeinde_id)]
        return found

    def personal(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[CalendarEntry]:
        if user.email != owner_email:
            return []
        return [CalendarEntry(uid=f"anmeldung-{user.pk}", title=f"Angemeldet: Wanderung ({user.name})",
                              start=_today() + datetime.timedelta(days=5))]

    return CalendarSource(key=FAKE_KEY, label="Testkalender", entries=entries, personal_entries=personal)


@pytest.fixture
def fake_calendar_module(monkeypatch):
    """Install the fake module (switched on everywhere); returns a function that sets its source."""
    import config.urls_tenant  # noqa: F401  (mounted before the fake exists: it has no URLs of its own)

    holder: dict[str, CalendarSource] = {}
    real_all_modules = core.modules.all_modules
    real_enabled = core.modules.enabled_module_keys

    def all_modules() -> dict[str, Any]:
        found = real_all_modules()
        if "source" in holder:
            found[FAKE_KEY] = SimpleNamespace(
                name="tests.core.calendar_fake",
                spec=ModuleSpec(key=FAKE_KEY, name="Kalendertest", provides=(holder["source"],)),
            )
        return found

    def enabled_module_keys(*, fresh: bool = False) -> frozenset[str]:
        keys = real_enabled(fresh=fresh)
        return keys | {FAKE_KEY} if current_tenant() is not None else keys  # the public site has no modules

    monkeypatch.setattr(core.modules, "all_modules", all_modules)
    monkeypatch.setattr(core.modules, "enabled_module_keys", enabled_module_keys)

    def install(source: CalendarSource) -> CalendarSource:
        holder["source"] = source
        return source

    return install
