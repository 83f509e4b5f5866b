"""Fixtures for the Suche & Biete tests: people and villages (current schema: town A)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf"),
    }


@pytest.fixture
def seller(in_town_a) -> User:
    return UserFactory(email="anbieterin@example.org", name="Vera Verkauf")


@pytest.fixture
def buyer(in_town_a) -> User:
    return UserFactory(email="interessent@example.org", name="Karl Kaufmann")


@pytest.fixture
def stored_media():
    """Files a test stored (the rollback keeps files): removed afterwards."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
