"""Fixtures for the groups tests: residents with established accounts, groups, posts (current schema: town A)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accounts.models import Role, User
from modules.groups.models import Group, Visibility
from tests.accounts.factories import UserFactory
from tests.modules.groups.factories import GroupFactory
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from town.models import MembershipRole, Organisation, Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def people(in_town_a) -> dict[str, User]:
    """A group founder, a member, an outsider and the town's moderator."""
    return {
        "founder": UserFactory(email="frieda.gruender@example.org"),
        "member": UserFactory(email="max.mitglied@example.org"),
        "outsider": UserFactory(email="olga.aussen@example.org"),
        "moderator": UserFactory(email="mona.moderation@example.org", role=Role.MODERATOR),
    }


@pytest.fixture
def public_group(people) -> Group:
    return GroupFactory(admin=people["founder"], name="Lauftreff Altdorf", members=(people["member"],),
                        description="Wir laufen montags.")


@pytest.fixture
def closed_group(people) -> Group:
    return GroupFactory(admin=people["founder"], name="Nachbarschaft Lindenweg", visibility=Visibility.CLOSED,
                        members=(people["member"],), description="Nur für Anwohner.")


@pytest.fixture
def feuerwehr(in_town_a) -> Organisation:
    return OrganisationFactory(name="Freiwillige Feuerwehr Altdorf", slug="ff-altdorf", kind="feuerwehr")


@pytest.fixture
def fire_manager(feuerwehr) -> User:
    return MembershipFactory(user=UserFactory(email="wehrfuehrer@example.org"), organisation=feuerwehr,
                             role=MembershipRole.MANAGER).user



@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What the groups module hands to the notifications facade, call by call."""
    calls: list[dict] = []
    monkeypatch.setattr("modules.groups.services._notify", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def stored_media() -> Iterator[list[str]]:
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
