"""The map appears only when the town set a tile server; the settings are validated."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from modules.directory.settings_form import DirectorySettingsForm
from tenants.services import tenant_module_configure
from tests.modules.directory.factories import BusinessFactory


def test_without_a_tile_server_there_is_no_map(in_town_a, client_a):
    business = BusinessFactory(name="Ohne Karte", latitude="50.7", longitude="7.8")
    page = client_a.get(f"/directory/{business.slug}/").content.decode()
    assert 'id="directory-map"' not in page
    assert "leaflet.js" not in page


def test_with_a_tile_server_the_map_uses_the_vendored_leaflet(in_town_a, client_a):
    tenant_module_configure(tenant=in_town_a, key="directory", data={
        "tile_url_template": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© OpenStreetMap",
    })
    try:
        business = BusinessFactory(name="Mit Karte", latitude="50.7", longitude="7.8")
        without_position = BusinessFactory(name="Ohne Position")
        page = client_a.get(f"/directory/{business.slug}/").content.decode()
        assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page
        assert "/static/directory/vendor/leaflet/leaflet.js" in page
        assert "unpkg" not in page and "cdn" not in page.lower()
        assert 'id="directory-map"' in client_a.get("/directory/").content.decode()
        assert 'id="directory-map"' not in client_a.get(f"/directory/{without_position.slug}/").content.decode()
    finally:
        tenant_module_configure(tenant=in_town_a, key="directory", data={})


def test_leaflet_is_vendored_with_its_license():
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png"):
        assert finders.find(f"directory/vendor/leaflet/{name}"), name


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({}, True),
        ({"tile_url_template": "https://t.example/{z}/{x}/{y}.png", "attribution": "© OSM"}, True),
        ({"tile_url_template": "http://t.example/{z}/{x}/{y}.png", "attribution": "© OSM"}, False),
        ({"tile_url_template": "https://t.example/tiles.png", "attribution": "© OSM"}, False),
        ({"tile_url_template": 'https://t.example/{z}/{x}/{y}.png" onload="x', "attribution": "© OSM"}, False),
        ({"tile_url_template": "https://t.example/{z}/{x}/{y}.png"}, False),  # credit missing
    ],
)
def test_settings_form(data, valid):
    assert DirectorySettingsForm(data=data).is_valid() is valid
