"""Fixtures for the directory tests: people, villages and businesses made through the services."""

from __future__ import annotations

import io
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, User
from modules.directory import opening_hours, services
from modules.directory.models import Business, BusinessCategory
from town.models import Ortsgemeinde, ResidentProfile

ALWAYS = [opening_hours.Interval(day, time(0), time(0), True) for day in range(7)]  # 24 hours, every day


def user_make(email: str, *, role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None) -> User:
    user = User.objects.create_user(email=email, password="Ein-langes-Passwort-1", name=email.split("@")[0], role=role)
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN).order_by("pk").first()


def category(slug: str) -> BusinessCategory:
    services.categories_seed()
    return BusinessCategory.objects.get(slug=slug)


def business_make(
    name: str = "Bäckerei Schmidt",
    *,
    approve: bool = True,
    owner: User | None = None,
    hours: list[opening_hours.Interval] | None = None,
    categories: tuple[str, ...] = (),
    **fields,
) -> Business:
    """A business registered by `owner` (a new resident when None), approved by the town unless told otherwise."""
    owner = owner or user_make(f"inhaber-{Business.objects.count()}-{name[:5].lower()}@example.org".replace(" ", ""))
    business = services.business_register(
        acting_user=owner, name=name, categories=[category(slug) for slug in categories], **fields
    )
    if approve:
        services.business_approve(business=business, acting_user=town_admin())
    if hours is not None:
        services.opening_hours_replace(business=business, acting_user=owner, intervals=hours)
    business.refresh_from_db()
    return business


def image_upload(name: str = "laden.jpg", *, fmt: str = "JPEG", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def village(in_town_a) -> Ortsgemeinde:
    return Ortsgemeinde.objects.create(name="Oberdorf", slug="oberdorf", postal_codes="57520")


@pytest.fixture
def other_village(in_town_a) -> Ortsgemeinde:
    return Ortsgemeinde.objects.create(name="Unterdorf", slug="unterdorf", postal_codes="57521")


@pytest.fixture
def mails_sent_now(monkeypatch, notifications_off):
    """Run the notification task right away instead of through the broker (it is a thin wrapper).

    In a town without the notifications module, so the task sends its own e-mails.
    """
    from modules.directory import tasks

    monkeypatch.setattr(tasks.notify, "delay", lambda event, business_id: tasks.notify(event, business_id))
