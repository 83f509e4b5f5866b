"""Fixtures for the API tests: people, organisations and tokens in one town."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import TownClient, host_of


def make_user(town, *, email: str, name: str = "Rita Resident", role: str = "resident", **extra):
    from accounts.models import User

    with schema_context(town.schema_name):
        return User.objects.create_user(email=email, password="Ein-sicheres-Passwort-1", name=name, role=role, **extra)


def issue_token(town, user, *, name: str = "Test app", expires_in: timedelta | None = None) -> str:
    """A fresh token secret for `user` in `town` (made through the real service)."""
    from api.services import api_token_create

    with schema_context(town.schema_name):
        expires_at = timezone.now() + expires_in if expires_in is not None else None
        return api_token_create(user=user, name=name, expires_at=expires_at).secret


def token_client(town, secret: str) -> TownClient:
    return TownClient(host_of(town), HTTP_AUTHORIZATION=f"Token {secret}")


@pytest.fixture
def resident_a(town_a):
    return make_user(town_a, email="rita@example.org")


@pytest.fixture
def villages_a(town_a):
    from town.models import Ortsgemeinde

    with schema_context(town_a.schema_name):
        return [
            Ortsgemeinde.objects.create(name="Oberdorf", slug="oberdorf", postal_codes="57518, 57520"),
            Ortsgemeinde.objects.create(name="Unterdorf", slug="unterdorf", postal_codes="57580"),
        ]


@pytest.fixture
def organisations_a(town_a, villages_a):
    from town.models import Organisation

    oberdorf, unterdorf = villages_a
    with schema_context(town_a.schema_name):
        return {
            "feuerwehr": Organisation.objects.create(
                name="Freiwillige Feuerwehr Oberdorf",
                slug="ff-oberdorf",
                kind="feuerwehr",
                ortsgemeinde=oberdorf,
                email="wehr@example.org",
            ),
            "verein": Organisation.objects.create(
                name="Sportverein Unterdorf", slug="sv-unterdorf", kind="verein", ortsgemeinde=unterdorf
            ),
            "hidden": Organisation.objects.create(
                name="Noch nicht freigegeben", slug="unapproved", kind="verein", is_approved=False
            ),
        }
