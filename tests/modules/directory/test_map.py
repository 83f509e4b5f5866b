"""The Branchenbuch draws its businesses with the platform's one map component, and offers them as a map layer."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.test import override_settings

from tests.modules.directory.factories import BusinessFactory


def _map_data(page: str, element_id: str) -> list[dict]:
    found = re.search(rf'<script id="{element_id}-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no data for {element_id}"
    return json.loads(found.group(1))


def test_a_business_with_a_position_shows_the_shared_map(in_town_a, client_a):
    business = BusinessFactory(name="Mit Karte", latitude="50.7", longitude="7.8", street="Hauptstraße 1")
    page = client_a.get(f"/directory/{business.slug}/").content.decode()
    assert 'id="directory-map"' in page
    assert "/static/core/vendor/leaflet/leaflet.js" in page and "/static/core/map/map.js" in page
    assert "unpkg" not in page and "cdn" not in page.lower() and "openstreetmap.org" not in page
    assert 'data-tiles="/karte/kacheln/{z}/{x}/{y}.png"' in page  # tiles come through the platform
    [layer] = _map_data(page, "directory-map")
    assert layer["points"] == [{
        "lat": 50.7, "lon": 7.8, "title": "Mit Karte", "url": business.get_absolute_url(),
        "text": "Hauptstraße 1", "category": "",
    }]
    assert 'id="directory-map"' in client_a.get("/directory/").content.decode()


def test_no_map_without_a_position_or_when_maps_are_off(in_town_a, client_a):
    without_position = BusinessFactory(name="Ohne Position")
    page = client_a.get(f"/directory/{without_position.slug}/").content.decode()
    assert 'id="directory-map"' not in page and "leaflet.js" not in page
    with_position = BusinessFactory(name="Mit Position", latitude="50.7", longitude="7.8")
    with override_settings(MAP_TILE_URL=""):
        page = client_a.get(f"/directory/{with_position.slug}/").content.decode()
    assert 'id="directory-map"' not in page and "leaflet.js" not in page
    assert "Mit Position" in page


def test_the_directory_ships_no_map_library_of_its_own():
    assert finders.find("directory/vendor/leaflet/leaflet.js") is None
    assert finders.find("core/vendor/leaflet/leaflet.js")
