"""Fixtures for the Mängelmelder tests: villages, a resident, staff, categories (inside town A's schema)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import Role, User
from modules.reports.models import Category
from modules.reports.services import categories_seed
from tests.accounts.factories import UserFactory
from tests.api.test_schemathesis import wsgi_app  # noqa: F401  (fixture: Django's real WSGI handler)
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def categories(in_town_a) -> dict[str, Category]:
    categories_seed()
    return {c.slug: c for c in Category.objects.all()}


@pytest.fixture
def anna(villages) -> User:
    return UserFactory(email="anna@example.org", name="Anna Arendt", ortsgemeinde=villages["x"])


@pytest.fixture
def ben(villages) -> User:
    return UserFactory(email="ben@example.org", name="Ben Berger", ortsgemeinde=villages["x"])


@pytest.fixture
def staff(in_town_a) -> User:
    return UserFactory(email="bauhof@example.org", name="Bernd Bauhof", role=Role.MODERATOR)


@pytest.fixture
def stored_media():
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)


@pytest.fixture
def admin_user_a(town_a, in_town_a) -> User:
    from tests.helpers import admin_of

    return admin_of(town_a)
