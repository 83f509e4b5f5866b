"""Fixtures for the public site: signup data, staff users, and cleanup of towns a test provisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context

SIGNUP_PASSWORD = "Gemeinderat-Sitzung-2026"
STAFF_PASSWORD = "Plattform-Betrieb-2026"


def signup_data(**overrides) -> dict:
    data = {
        "name": "Ortsgemeinde Neudorf",
        "kind": "gemeinde",
        "slug": "neudorf",
        "admin_name": "Nora Neumann",
        "admin_email": "nora@neudorf.example",
        "password": SIGNUP_PASSWORD,
        "accept_terms": "on",
        "accept_dpa": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def confirm_path_from_mail(message) -> str:
    match = re.search(r"https?://\S+/registrieren/\S+/bestaetigen/\S+/", message.body)
    assert match, message.body
    return path_of(match.group(0))


def schema_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in cursor.fetchall()}


def public_counts() -> dict[str, int]:
    from tenants.models import Domain, Municipality, TenantModule, TownSignup

    with schema_context("public"):
        return {
            "signups": TownSignup.objects.count(),
            "towns": Municipality.objects.count(),
            "domains": Domain.objects.count(),
            "modules": TenantModule.objects.count(),
            "schemas": len(schema_names()),
        }


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


def make_staff(email: str = "staff@dorfkern.example", *, totp: bool = True, is_staff: bool = True):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User

    with schema_context("public"):
        user = User.objects.create_user(email=email, password=STAFF_PASSWORD, name="Sam Staff", is_staff=is_staff)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if totp:
            TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff_client(public_client):
    public_client.force_login(make_staff())
    return public_client
