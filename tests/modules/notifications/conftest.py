"""Fixtures for the notifications tests: villages and the clock at noon (push service: tests/modules/conftest.py)."""

from __future__ import annotations

import datetime

import pytest

from tests.modules.notifications.helpers import berlin
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf"),
    }


@pytest.fixture
def daytime(monkeypatch) -> datetime.datetime:
    """The clock says 12:00 in Berlin, outside everyone's quiet hours, whenever the test runs."""
    noon = berlin(12)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    return noon
