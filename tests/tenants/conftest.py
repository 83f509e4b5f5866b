"""Fixtures for the public site: a signed-in staff client, and cleanup of towns a test provisions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from tests.tenants.helpers import make_staff


@pytest.fixture
def drop_towns() -> Iterator[list[str]]:
    """Slugs appended to the yielded list are removed with their schema after the test.

    Transactional tests commit what they provision; other tests must still see only towns A and B.
    """
    slugs: list[str] = []
    yield slugs
    from tenants.models import Municipality, TownSignup

    connection.set_schema_to_public()
    for town in Municipality.objects.filter(slug__in=slugs):
        town.delete(force_drop=True)
    TownSignup.objects.filter(slug__in=slugs).delete()


@pytest.fixture
def staff_client(public_client):
    public_client.force_login(make_staff())
    return public_client
