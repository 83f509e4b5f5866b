"""Fixtures for the Pinnwand tests: villages, residents, topics and a post factory (inside town A's schema)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role, User
from modules.board import services
from modules.board.models import Post, Topic
from town.models import Ortsgemeinde, ResidentProfile

PASSWORD = "Ein-langes-Passwort-1"


def user_make(
    email: str, *, name: str = "", role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None,
    new_account: bool = False,
) -> User:
    """A person in the current town; old enough not to hit the moderation limits for new accounts unless told."""
    user = User.objects.create_user(email=email, password=PASSWORD, name=name or email.split("@")[0].title(),
                                    role=role)
    if not new_account:
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=365))
        user.refresh_from_db()
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def topic(name: str = "Plausch") -> Topic:
    services.topics_seed()
    return Topic.objects.get(name=name)


def post_make(author: User, *, text: str = "Wer leiht mir eine Leiter?", topic_name: str = "Hilfe",
              town_wide: bool = False, photos=()) -> Post:
    """A post made through the services (moderation and notifications included)."""
    return services.post_create(
        acting_user=author, topic=topic(topic_name), text=text,
        target=services.TARGET_TOWN if town_wide else services.TARGET_ORTSGEMEINDE, photos=photos,
    )


def posts_bulk(author: User, count: int, *, ortsgemeinde: Ortsgemeinde | None = None) -> None:
    """Many posts at once, straight into the table (for query budgets: the services would take minutes)."""
    chosen = topic("Plausch")
    expires = timezone.now() + timedelta(days=30)
    Post.objects.bulk_create(
        Post(author=author, topic=chosen, text=f"Beitrag {number}", ortsgemeinde=ortsgemeinde, expires_at=expires)
        for number in range(count)
    )


def image_upload(name: str = "foto.jpg", *, fmt: str = "JPEG", size=(64, 48), exif: bool = False) -> SimpleUploadedFile:
    picture = Image.new("RGB", size, (30, 120, 30))
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "GeheimeKamera"
        # GPS IFD pointer with a latitude: what a phone writes into a photo.
        data[0x8825] = {1: "N", 2: (50.0, 47.0, 0.0)}
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
def anna(villages) -> User:
    """A resident of Xanten-Au."""
    return user_make("anna@example.org", name="Anna Arendt", ortsgemeinde=villages["x"])


@pytest.fixture
def ben(villages) -> User:
    """Another resident of Xanten-Au."""
    return user_make("ben@example.org", name="Ben Berger", ortsgemeinde=villages["x"])


@pytest.fixture
def yara(villages) -> User:
    """A resident of Ypsdorf."""
    return user_make("yara@example.org", name="Yara Yilmaz", ortsgemeinde=villages["y"])


@pytest.fixture
def moderator(villages) -> User:
    return user_make("moderatorin@example.org", name="Mona Moderatorin", role=Role.MODERATOR)


@pytest.fixture
def make_post(in_town_a) -> Callable[..., Post]:
    return post_make


@pytest.fixture
def stored_media():
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
