"""Fixtures for the Pinnwand tests: villages, residents, a post factory (inside town A's schema)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import Role, User
from tests.accounts.factories import UserFactory
from tests.modules.board.factories import PostFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def anna(villages) -> User:
    """A resident of Xanten-Au."""
    return UserFactory(email="anna@example.org", name="Anna Arendt", ortsgemeinde=villages["x"])


@pytest.fixture
def ben(villages) -> User:
    """Another resident of Xanten-Au."""
    return UserFactory(email="ben@example.org", name="Ben Berger", ortsgemeinde=villages["x"])


@pytest.fixture
def yara(villages) -> User:
    """A resident of Ypsdorf."""
    return UserFactory(email="yara@example.org", name="Yara Yilmaz", ortsgemeinde=villages["y"])


@pytest.fixture
def moderator(villages) -> User:
    return UserFactory(email="moderatorin@example.org", name="Mona Moderatorin", role=Role.MODERATOR)


@pytest.fixture
def make_post(in_town_a) -> type[PostFactory]:
    """`make_post(author=anna, text=..., town_wide=True)`: a post through the services in town A."""
    return PostFactory


@pytest.fixture
def stored_media():
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
