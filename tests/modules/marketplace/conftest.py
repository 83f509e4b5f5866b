"""Fixtures for the Suche & Biete tests: people, villages, photos and a listing factory (current schema)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, User
from modules.marketplace import services
from modules.marketplace.models import Category, Listing, ListingKind, ListingType, PriceMode
from town.models import Ortsgemeinde, ResidentProfile


def user_make(
    email: str, *, name: str = "", role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None,
    verified: bool = True,
) -> User:
    """A person of the current town, with a confirmed e-mail address unless told otherwise."""
    user = User.objects.create_user(
        email=email, password="Ein-langes-Passwort-1", name=name or email.split("@")[0].title(), role=role
    )
    if verified:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN).order_by("pk").first()


def category(name: str = "Garten") -> Category:
    return Category.objects.get(name=name)


def listing_make(*, owner: User | None = None, **fields: Any) -> Listing:
    values: dict[str, Any] = {
        "kind": ListingKind.OFFER,
        "listing_type": ListingType.SELL,
        "title": "Rasenmäher",
        "description": "Benzin-Rasenmäher, läuft gut.",
        "price_mode": PriceMode.FIXED,
        "price_cents": 2500,
    }
    values.update(fields)
    listing = services.listing_create(acting_user=owner or town_admin(), **values)
    listing.refresh_from_db()
    return listing


def image_upload(name: str = "foto.jpg", *, fmt: str = "JPEG", size=(64, 48), exif: bool = False) -> SimpleUploadedFile:
    picture = Image.new("RGB", size, (30, 120, 30))
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "GeheimeKamera"
        data[0x8825] = {2: (50.0, 40.0, 0.0)}  # GPS info
        options["exif"] = data.tobytes()
    picture.save(out, format=fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": Ortsgemeinde.objects.create(name="Xanten-Au", slug="xanten-au"),
        "y": Ortsgemeinde.objects.create(name="Ypsdorf", slug="ypsdorf"),
    }


@pytest.fixture
def seller(in_town_a) -> User:
    return user_make("anbieterin@example.org", name="Vera Verkauf")


@pytest.fixture
def buyer(in_town_a) -> User:
    return user_make("interessent@example.org", name="Karl Kaufmann")


@pytest.fixture
def stored_media():
    """Files a test stored (the rollback keeps files): removed afterwards."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
