"""Fixtures for the notifications tests: villages (the noon clock, `daytime`, is in tests/modules/conftest.py)."""

from __future__ import annotations

import pytest

from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf"),
    }
