"""Fixtures for the Mitbringdienst tests: villages, residents, requests via the services (town A)."""

from __future__ import annotations

import pytest

from accounts.models import User
from modules.errands.models import ErrandRequest, Trip
from tests.accounts.factories import UserFactory
from tests.modules.errands.factories import ErrandFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "kausen": OrtsgemeindeFactory(name="Kausen", slug="kausen"),
        "elkenroth": OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth"),
        "nauroth": OrtsgemeindeFactory(name="Nauroth", slug="nauroth"),
    }


@pytest.fixture
def anna(villages) -> User:
    """Asks for things; lives in Kausen."""
    return UserFactory(email="anna@example.org", name="Anna Arndt", ortsgemeinde=villages["kausen"])


@pytest.fixture
def bernd(villages) -> User:
    """Drives to the shops anyway; lives in Kausen too."""
    return UserFactory(email="bernd@example.org", name="Bernd Becker", ortsgemeinde=villages["kausen"])


@pytest.fixture
def carla(villages) -> User:
    """Another neighbour, from Elkenroth."""
    return UserFactory(email="carla@example.org", name="Carla Conrad", ortsgemeinde=villages["elkenroth"])


@pytest.fixture
def make_errand(in_town_a) -> type[ErrandFactory]:
    """`make_errand(requester=anna, items=...)`: an open request through the services in town A."""
    return ErrandFactory


@pytest.fixture
def mail_tasks_inline(notifications_off, celery_eager):
    """Run the mail tasks (queued through the outbox) at commit, in the current town's schema.

    In a town without the notifications module, so the tasks send their own e-mails.
    """


@pytest.fixture
def committed_town_a(town_a):
    """Town A for transactional tests: what the test commits there (errands, people, villages) is removed after.

    The suite's flush after a transactional test only empties the public schema,
    so rows committed in a town would otherwise leak into later tests.
    """
    from django.db import connection
    from django_tenants.utils import schema_context

    from modules.errands.models import ErrandBlock

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
        villages_before = set(Ortsgemeinde.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        ErrandRequest.objects.all().delete()
        Trip.objects.all().delete()
        ErrandBlock.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()
        Ortsgemeinde.objects.exclude(pk__in=villages_before).delete()
