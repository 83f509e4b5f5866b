"""The town's map page (/karte/): every enabled module's layers on one map, and always the same places as a list."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.capabilities import declared
from core.maps import MapLayer, MapPoint, map_context
from tenants.services import tenant_module_disable
from tests.modules.directory.factories import BusinessFactory


def _map_data(page: str) -> list[dict]:
    found = re.search(r'<script id="town-map-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page carries no map data"
    return json.loads(found.group(1))


def test_the_map_page_shows_the_businesses_on_the_map_and_in_the_list(in_town_a, client_a):
    bakery = BusinessFactory(name="Dorfbäckerei", latitude="50.75", longitude="7.87", street="Hauptstraße 3")
    BusinessFactory(name="Ohne Ort")  # no position: on neither
    BusinessFactory(name="Noch nicht frei", approve=False, latitude="50.7", longitude="7.8")

    page = client_a.get("/karte/").content.decode()

    # the list: a heading per layer, each place a link to its page, readable without JavaScript
    assert re.search(r"<h2[^>]*>(Betriebe|Businesses)</h2>", page)
    assert f'<a href="{bakery.get_absolute_url()}">Dorfbäckerei</a>' in page
    assert "Ohne Ort" not in page and "Noch nicht frei" not in page
    # the map: hidden until the script has drawn it, fed from JSON (no inline script)
    assert re.search(r'<div class="site-map" id="town-map"[^>]* hidden>', page)
    [layer] = [entry for entry in _map_data(page) if entry["points"]]
    assert [point["title"] for point in layer["points"]] == ["Dorfbäckerei"]
    assert layer["points"][0]["lat"] == 50.75
    for script in re.findall(r"<script[^>]*>", page):
        assert "src=" in script or 'type="application/json"' in script, script


def test_a_switched_off_module_has_no_layer(town_a, in_town_a, client_a):
    BusinessFactory(name="Dorfbäckerei", latitude="50.75", longitude="7.87")
    tenant_module_disable(tenant=town_a, key="directory")
    page = client_a.get("/karte/").content.decode()
    assert "Dorfbäckerei" not in page


def test_without_tiles_the_list_remains(in_town_a, client_a):
    BusinessFactory(name="Dorfbäckerei", latitude="50.75", longitude="7.87")
    with override_settings(MAP_TILE_URL=""):
        page = client_a.get("/karte/").content.decode()
    assert "Dorfbäckerei" in page
    assert 'id="town-map"' not in page and "leaflet.js" not in page


def test_the_map_page_costs_the_same_queries_for_one_or_many_places(in_town_a, client_a, pages_rendered):
    BusinessFactory(name="Erster Betrieb", latitude="50.75", longitude="7.87", categories=("baeckerei",))
    client_a.get("/karte/")  # warm the per-town caches (modules, profile)
    with CaptureQueriesContext(connection) as one:
        client_a.get("/karte/")
    for number in range(4):
        BusinessFactory(name=f"Betrieb {number}", latitude="50.7", longitude=f"7.8{number}", categories=("baeckerei",))
    with CaptureQueriesContext(connection) as five:
        page = client_a.get("/karte/").content.decode()
    assert page.count('href="/directory/') >= 5
    assert len(five) == len(one)


def test_map_context_escapes_nothing_into_markup_and_skips_empty_maps(in_town_a):
    point = MapPoint(lat=50.7, lon=7.8, title='<img src=x onerror="alert(1)">', url="/x/")
    assert map_context("m", [("Leer", "#000000", [])], label="Karte") is None
    context = map_context("m", [("Orte", "#000000", [point])], label="Karte")
    assert context is not None and context["tiles"] == "/karte/kacheln/{z}/{x}/{y}.png"
    assert context["layers"][0]["points"][0]["title"] == point.title  # json_script escapes it in the page


def test_every_map_layer_key_is_unique():
    keys = [layer.key for layer in declared(MapLayer)]
    assert keys and len(keys) == len(set(keys))


def test_the_main_navigation_links_the_map_while_a_module_provides_a_layer(town_a, client_a):
    from core.capabilities import module_capabilities
    from core.maps import MapLayer
    from core.modules import all_modules
    from tests.isolation.routes import dependants_of

    assert 'href="/karte/"' in client_a.get("/").content.decode()
    with_layers = [key for key, module in all_modules().items() if module_capabilities(module, MapLayer)]
    for key in with_layers:
        for dependant in [*dependants_of(key), key]:
            if dependant in town_a.enabled_module_keys(fresh=True):
                tenant_module_disable(tenant=town_a, key=dependant)
    assert 'href="/karte/"' not in client_a.get("/").content.decode()
