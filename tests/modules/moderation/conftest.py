"""Fixtures for the moderation tests: people of town A and a fake kind of reportable content (helpers.py).

The seam: ``modules.moderation.kinds`` asks ``modules.moderation.capabilities.moderated_content_kinds()`` at call time,
so ``fake_kind`` monkeypatches that one function to add the kind "test.note" next to the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import modules.moderation.capabilities as moderation_capabilities
from accounts.models import Role, User
from tests.accounts.factories import UserFactory
from tests.modules.moderation.helpers import FakeKind

_real_kinds = moderation_capabilities.moderated_content_kinds


@pytest.fixture
def fake_kind(monkeypatch) -> Iterator[FakeKind]:
    kind = FakeKind()
    monkeypatch.setattr(moderation_capabilities, "moderated_content_kinds",
                        lambda: {**_real_kinds(), "test.note": kind.spec()})
    yield kind


@pytest.fixture
def resident(in_town_a) -> User:
    return UserFactory(email="rita@example.org", name="Rita Rüpel")


@pytest.fixture
def reporter(in_town_a) -> User:
    return UserFactory(email="melder@example.org", name="Max Melder")


@pytest.fixture
def moderator(in_town_a) -> User:
    return UserFactory(email="mod@example.org", name="Mona Moderatorin", role=Role.MODERATOR)


@pytest.fixture
def second_moderator(in_town_a) -> User:
    return UserFactory(email="mod2@example.org", name="Otto Obermod", role=Role.MODERATOR)

