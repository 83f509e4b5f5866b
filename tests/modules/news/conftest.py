"""Fixtures for the news tests: people with roles, villages, organisations (current schema: town A)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.models import User
from modules.news.models import Article
from tests.accounts.factories import UserFactory
from tests.modules.news.factories import ArticleFactory
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from town.models import MembershipRole, Organisation, Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def feuerwehr(in_town_a) -> Organisation:
    return OrganisationFactory(name="Freiwillige Feuerwehr Altdorf", slug="ff-altdorf", kind="feuerwehr")


@pytest.fixture
def sportverein(in_town_a) -> Organisation:
    return OrganisationFactory(name="SV Altdorf 1920", slug="sv-altdorf", kind="verein")


@pytest.fixture
def fire_editor(feuerwehr) -> User:
    """An editor of the fire brigade, and of nothing else."""
    return MembershipFactory(user=UserFactory(email="wehrfuehrer@example.org"), organisation=feuerwehr,
                             role=MembershipRole.EDITOR).user


@pytest.fixture
def make_article(in_town_a) -> Callable[..., Article]:
    return ArticleFactory


@pytest.fixture
def stored_media():
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
