"""Helpers every test may import: the test towns' hosts, clients bound to a town, the towns' admins, photos.

Plain functions and classes, not fixtures (those live in tests/conftest.py).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from PIL import Image

# The start page with every module switched on (as in the test towns), for a signed-in resident once
# the page cache is warm (core.page_cache: widgets and feed come from Redis until their module's data
# changes). One number for every module's budget test; it must not grow with modules or data.
# 21 before the page cache (issue 20); 6 measured: session, user, resident profile, two role checks and
# the messages widget (uncached: reading marks messages with update()).
START_PAGE_QUERY_BUDGET = 8

# Both towns' admins share the same e-mail address and password on purpose.
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "Rathaus-Passwort-2026"


def sql_statements(captured: CaptureQueriesContext) -> list[str]:
    """The SQL statements `captured` saw, without django-tenants' `SET search_path`: it comes only when the
    schema changed since the last statement, so a count with it would depend on what ran before."""
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SET search_path")]


def host_of(town) -> str:
    return f"{town.slug}.{settings.BASE_DOMAIN}"


class TownClient(Client):
    """A test client bound to one host; each request starts from the public schema like a real one."""

    def __init__(self, host: str, **kwargs):
        super().__init__(HTTP_HOST=host, **kwargs)
        self.host = host

    def request(self, **request):
        previous = connection.tenant
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(previous) if previous.schema_name != "public" else connection.set_schema_to_public()


def admin_of(town):
    from accounts.models import User

    with schema_context(town.schema_name):
        return User.objects.get(email=ADMIN_EMAIL)


def logged_in_client(town, user) -> TownClient:
    """A client signed in as `user` on `town`'s host (the session lives in the town's schema)."""
    client = TownClient(host_of(town))
    with schema_context(town.schema_name):
        client.force_login(user)
    return client


def image_upload(name: str = "foto.jpg", *, fmt: str = "JPEG", size: tuple[int, int] = (64, 48),
                 colour: tuple[int, int, int] = (30, 120, 30), exif: bool = False) -> SimpleUploadedFile:
    """A small photo as a browser uploads it; with `exif`, the camera, software and GPS position a phone writes."""
    picture = Image.new("RGB", size, colour)
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "GeheimeKamera"  # Make
        data[0x0131] = "Standort-Software"  # Software
        data[0x8825] = {1: "N", 2: (50.0, 47.0, 0.0)}  # GPS IFD: a latitude
        options["exif"] = data.tobytes()
    picture.save(out, format=fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def shown(message: str, **params: object) -> str:
    """`message` as a resident reads it on a page: in German, HTML-escaped."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("de"):
        text = translation.gettext(message)
    return escape(text % params if params else text)


def legal_texts_fill(town) -> None:
    """Publish a short Impressum and Datenschutzerklärung in `town`, so residents may register there.

    A fresh town keeps registration closed until its admin saves both texts (accounts.adapter); the
    test towns stand for towns that did.
    """
    from town.models import TownProfile

    with schema_context(town.schema_name):
        profile = TownProfile.objects.first()
        if profile is None:
            profile = TownProfile.objects.create(name=town.name)
        if not (profile.impressum.strip() and profile.privacy_policy.strip()):
            TownProfile.objects.filter(pk=profile.pk).update(
                impressum=profile.impressum or f"{town.name}, Rathausplatz 1, 12345 Musterort",
                privacy_policy=profile.privacy_policy or f"Verantwortlich: {town.name}. Wir speichern Ihre Angaben.",
            )
