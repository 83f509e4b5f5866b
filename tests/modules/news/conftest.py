"""Fixtures for the news tests: people with roles, villages, and an article factory (current schema)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, User
from modules.news import services
from modules.news.models import Article
from town.models import MembershipRole, Organisation, OrganisationMembership, Ortsgemeinde, ResidentProfile


def user_make(email: str, *, role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None) -> User:
    user = User.objects.create_user(email=email, password="Ein-langes-Passwort-1", name=email.split("@")[0], role=role)
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN).order_by("pk").first()


def article_make(
    *,
    title: str = "Neues aus dem Rathaus",
    body: str = "<p>Text</p>",
    teaser: str = "",
    publish: bool = True,
    publish_at: datetime | None = None,
    acting_user: User | None = None,
    **fields,
) -> Article:
    """An article made through the services, published now unless told otherwise."""
    user = acting_user or town_admin()
    article = services.article_create(acting_user=user, title=title, body=body, teaser=teaser, **fields)
    if publish or publish_at:
        services.article_publish(article=article, acting_user=user, publish_at=publish_at)
    article.refresh_from_db()
    return article


def image_upload(name: str = "foto.jpg", *, fmt: str = "JPEG", size=(64, 48), exif: bool = False) -> SimpleUploadedFile:
    picture = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "GeheimeKamera"  # Make
        data[0x0131] = "Standort-Software"  # Software
        options["exif"] = data.tobytes()
    picture.save(out, format=fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": Ortsgemeinde.objects.create(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": Ortsgemeinde.objects.create(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def feuerwehr(in_town_a) -> Organisation:
    return Organisation.objects.create(name="Freiwillige Feuerwehr Altdorf", slug="ff-altdorf", kind="feuerwehr")


@pytest.fixture
def sportverein(in_town_a) -> Organisation:
    return Organisation.objects.create(name="SV Altdorf 1920", slug="sv-altdorf", kind="verein")


@pytest.fixture
def fire_editor(feuerwehr) -> User:
    """An editor of the fire brigade, and of nothing else."""
    user = user_make("wehrfuehrer@example.org")
    OrganisationMembership.objects.create(user=user, organisation=feuerwehr, role=MembershipRole.EDITOR)
    return user


@pytest.fixture
def make_article(in_town_a) -> Callable[..., Article]:
    return article_make


@pytest.fixture
def stored_media():
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
