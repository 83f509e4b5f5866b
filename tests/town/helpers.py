"""Helpers for the back-office tests: a signed-in client per role, uploads, the town's profile, form data."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from tests.accounts.factories import user_in_town
from tests.helpers import logged_in_client


def client_with_role(town, role: str):
    return logged_in_client(town, user_in_town(town, email=f"{role}@example.org", role=role, name=f"{role.title()} X"))


def png_upload(name: str = "wappen.png", size: tuple[int, int] = (300, 200), colour: str = "#c00000",
               exif: bytes | None = None, fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def profile_of(town):
    from town.models import TownProfile

    with schema_context(town.schema_name):
        return TownProfile.objects.get()


def branding_post(**overrides) -> dict:
    data = {
        "name": "Verbandsgemeinde Altdorf",
        "tagline": "",
        "header_image_alt": "",
        "primary_colour": "#1f5f8b",
        "accent_colour": "#8a4b08",
    }
    data.update(overrides)
    return data
