"""Fixtures for the Messages tests: residents of the current town (town A)."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.accounts.factories import UserFactory


@pytest.fixture
def anna(in_town_a) -> User:
    return UserFactory(email="anna@example.org", name="Anna Auer")


@pytest.fixture
def ben(in_town_a) -> User:
    return UserFactory(email="ben@example.org", name="Ben Berger")


@pytest.fixture
def carla(in_town_a) -> User:
    return UserFactory(email="carla@example.org", name="Carla Claus")


@pytest.fixture
def eager(celery_eager):
    """Tasks sent with .delay() run at once. Through the Celery app itself: once the app has read its
    configuration, a changed CELERY_TASK_ALWAYS_EAGER setting no longer reaches it."""
