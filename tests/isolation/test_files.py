"""Uploads stay in their town (ISOLATION T7)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5f8b").save(out, format="PNG")
    return out.getvalue()


def _upload_in(town, name: str) -> str:
    connection.set_tenant(town)
    try:
        stored = default_storage.save(name, ContentFile(_png()))
        return default_storage.url(stored)
    finally:
        connection.set_schema_to_public()


def test_t7_a_file_of_town_a_is_served_on_a_and_404_on_b(town_a, town_b, client_a, client_b):
    url = _upload_in(town_a, "branding/wappen-t7.png")
    assert url.startswith(f"/media/{town_a.schema_name}/")
    assert client_a.get(url).status_code == 200
    assert client_b.get(url).status_code == 404


def test_t7_a_guessed_path_into_another_towns_folder_is_404(town_a, town_b, client_b):
    url = _upload_in(town_a, "branding/wappen-guess.png")
    name = url.split(f"/media/{town_a.schema_name}/", 1)[1]
    for guess in (
        f"/media/{name}",
        f"/media/../{town_a.schema_name}/{name}",
        f"/media/%2e%2e/{town_a.schema_name}/{name}",
        f"/media/{town_b.schema_name}/../{town_a.schema_name}/{name}",
    ):
        assert client_b.get(guess).status_code == 404, guess


def test_t7_the_storage_writes_each_town_under_its_own_prefix(town_a, town_b):
    url_a = _upload_in(town_a, "same-name.png")
    url_b = _upload_in(town_b, "same-name.png")
    assert url_a.startswith(f"/media/{town_a.schema_name}/")
    assert url_b.startswith(f"/media/{town_b.schema_name}/")
