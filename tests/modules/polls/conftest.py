"""Fixtures for the poll tests: two villages and their residents (inside town A's schema)."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {"e": OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth"),
            "s": OrtsgemeindeFactory(name="Steinebach", slug="steinebach")}


@pytest.fixture
def erna(villages) -> User:
    return UserFactory(email="erna@example.org", name="Erna Elk", ortsgemeinde=villages["e"])


@pytest.fixture
def sven(villages) -> User:
    return UserFactory(email="sven@example.org", name="Sven Stein", ortsgemeinde=villages["s"])


@pytest.fixture(autouse=True)
def _english():
    """Messages compared in English; a request in German must not leave German active for the next test."""
    from django.utils import translation

    with translation.override("en"):
        yield
