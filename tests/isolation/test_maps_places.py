"""A town's map points and places stay in that town (ISOLATION T1, T14)."""

from __future__ import annotations

from django.db import connection

from tests.helpers import admin_of, logged_in_client
from tests.town.test_places_match import collection, square


def _in(town, make):
    connection.set_tenant(town)
    try:
        return make()
    finally:
        connection.set_schema_to_public()


def _places_of_a():
    from tests.modules.directory.factories import BusinessFactory
    from town.models import Ortsgemeinde
    from town.places_services import boundaries_import, streets_import

    BusinessFactory(name="Geheimbäckerei Altdorf", latitude="50.75", longitude="7.87")
    village = Ortsgemeinde.objects.create(name="Nurhierdorf", slug="nurhierdorf")
    boundaries_import(data=collection(("Nurhierdorf", {"type": "Polygon", "coordinates": square(7.86, 50.74)})))
    streets_import(ortsgemeinde=village, data=b"Geheimweg\n")
    return village


def test_town_b_sees_none_of_town_as_points_or_places(town_a, town_b, client_b):
    from town.places_selectors import address_matches, ortsgemeinde_at

    village = _in(town_a, _places_of_a)

    # B's map and lists don't have A's business
    page = client_b.get("/karte/").content.decode()
    assert "Geheimbäckerei" not in page
    assert "Geheimbäckerei" not in client_b.get("/directory/").content.decode()

    # B's address matching and point placing know nothing of A's streets and boundaries
    assert _in(town_b, lambda: address_matches("Geheimweg 1")) == []
    assert _in(town_b, lambda: ortsgemeinde_at(lat=50.745, lon=7.865)) is None
    # ... while A's own do
    assert _in(town_a, lambda: ortsgemeinde_at(lat=50.745, lon=7.865)) == village

    # B's admin: A's village has no street page on B's host, and B's overview doesn't list it
    admin_b = logged_in_client(town_b, admin_of(town_b))
    assert admin_b.get(f"/backoffice/orte/{village.pk}/strassen/").status_code == 404
    assert "Nurhierdorf" not in admin_b.get("/backoffice/orte/").content.decode()
    check = admin_b.get("/backoffice/orte/pruefen/", {"address": "Geheimweg 1"}).content.decode()
    assert "Adresse gefunden" not in check and "Address found" not in check
