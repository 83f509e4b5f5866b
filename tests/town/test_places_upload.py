"""The town admin uploads boundaries (GeoJSON) and street lists (CSV) in the back office."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.town.test_places_match import collection, square
from town.models import Ortsgemeinde, OrtsgemeindeBoundary, Street


def geojson(data: bytes, name: str = "grenzen.geojson") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


def csv_file(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("strassen.csv", text.encode(encoding), content_type="text/csv")


@pytest.fixture
def villages(in_town_a):
    return (
        Ortsgemeinde.objects.create(name="Elkenroth", slug="elkenroth", postal_codes="57578"),
        Ortsgemeinde.objects.create(name="Steinebach/Sieg", slug="steinebach-sieg", postal_codes="57520"),
    )


def test_the_back_office_menu_leads_to_places(villages, admin_client_a):
    assert 'href="/backoffice/orte/"' in admin_client_a.get("/backoffice/").content.decode()
    page = admin_client_a.get("/backoffice/orte/").content.decode()
    assert f'href="/backoffice/orte/{villages[0].pk}/strassen/"' in page


def test_boundaries_are_matched_by_name_and_replaced_on_a_new_upload(villages, admin_client_a):
    elkenroth, steinebach = villages
    data = collection(
        ("Ortsgemeinde Elkenroth", {"type": "Polygon", "coordinates": square(7.86, 50.72)}),
        ("STEINEBACH/SIEG", {"type": "MultiPolygon", "coordinates": [square(7.82, 50.73)]}),
    )
    response = admin_client_a.post("/backoffice/orte/", {"file": geojson(data)}, follow=True)
    assert response.status_code == 200
    assert OrtsgemeindeBoundary.objects.count() == 2
    assert "2" in response.content.decode()  # "Die Grenzen von 2 Ortsgemeinden wurden gespeichert."

    moved = collection(("Elkenroth", {"type": "Polygon", "coordinates": square(8.0, 51.0)}))
    admin_client_a.post("/backoffice/orte/", {"file": geojson(moved)})
    assert OrtsgemeindeBoundary.objects.count() == 2
    assert OrtsgemeindeBoundary.objects.get(ortsgemeinde=elkenroth).min_lon == 8.0


def test_a_name_property_can_be_chosen(villages, admin_client_a):
    data = json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"GEN": "Falsch", "og_name": "elkenroth"},
        "geometry": {"type": "Polygon", "coordinates": square(7.86, 50.72)},
    }]}).encode()
    admin_client_a.post("/backoffice/orte/", {"file": geojson(data), "name_property": "og_name"})
    assert OrtsgemeindeBoundary.objects.get().ortsgemeinde == villages[0]


@pytest.mark.parametrize(("data", "message"), [
    (b"nicht json", "GeoJSON"),
    (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    (collection(("Elkenroth", {"type": "Point", "coordinates": [7.8, 50.7]})), "Point"),
    (collection(("Elkenroth", {"type": "Polygon", "coordinates": [[[410000, 5620000], [411000, 5620000],
                                                                    [411000, 5621000], [410000, 5620000]]]})),
     "WGS 84"),
    (collection(("Elkenroth", {"type": "Polygon", "coordinates": [[[7.8, 50.7], [7.9, 50.7]]]})), "corners"),
    (collection(("Elkenroth", {"type": "Polygon", "coordinates": square(7.86, 50.72)}),
                ("Atlantis", {"type": "Polygon", "coordinates": square(7.0, 50.0)})), "Atlantis"),
])
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(villages, admin_client_a, data, message):
    response = admin_client_a.post("/backoffice/orte/", {"file": geojson(data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page or message.replace("corners", "Ecken") in page
    assert "Traceback" not in page
    assert not OrtsgemeindeBoundary.objects.exists()


def test_a_too_large_file_is_refused(villages, admin_client_a, settings):
    big = geojson(b" " * (5 * 1024 * 1024 + 1))
    response = admin_client_a.post("/backoffice/orte/", {"file": big})
    assert response.status_code == 400
    assert not OrtsgemeindeBoundary.objects.exists()


def test_a_street_list_is_uploaded_and_a_new_one_replaces_it_without_duplicates(villages, admin_client_a):
    elkenroth = villages[0]
    url = f"/backoffice/orte/{elkenroth.pk}/strassen/"
    first = "Straße;PLZ\nHauptstraße;57578\nBirkenweg;57578\nHauptstr.;57578\n\nAm Markt;\n"
    response = admin_client_a.post(url, {"file": csv_file(first)}, follow=True)
    page = response.content.decode()
    assert sorted(Street.objects.values_list("name", flat=True)) == ["Am Markt", "Birkenweg", "Hauptstraße"]
    assert "3" in page and ("übersprungen" in page or "skipped" in page)  # the summary names the repeat

    # Excel's German CSV (Windows-1252, no header): one street gone, one new, two kept
    second = "Hauptstraße\nAm Markt\nMühlenweg\n"
    response = admin_client_a.post(url, {"file": csv_file(second, "cp1252")}, follow=True)
    assert sorted(Street.objects.filter(ortsgemeinde=elkenroth).values_list("name", flat=True)) == [
        "Am Markt", "Hauptstraße", "Mühlenweg"]
    assert Street.objects.get(name="Hauptstraße").postal_code == ""
    assert "Mühlenweg" in response.content.decode()


def test_a_bad_street_list_names_the_lines_and_changes_nothing(villages, admin_client_a):
    elkenroth = villages[0]
    admin_client_a.post(f"/backoffice/orte/{elkenroth.pk}/strassen/", {"file": csv_file("Hauptstraße\n")})
    response = admin_client_a.post(f"/backoffice/orte/{elkenroth.pk}/strassen/",
                                   {"file": csv_file("Straße;PLZ\nBirkenweg;57578\n12345;57578\nAm Bach;5757\n")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "3" in page and "4" in page  # line numbers
    assert list(Street.objects.values_list("name", flat=True)) == ["Hauptstraße"]


def test_the_check_page_shows_what_an_address_and_a_point_match(villages, admin_client_a):
    elkenroth = villages[0]
    admin_client_a.post("/backoffice/orte/", {"file": geojson(collection(
        ("Elkenroth", {"type": "Polygon", "coordinates": square(7.86, 50.72, 0.03)})))})
    admin_client_a.post(f"/backoffice/orte/{elkenroth.pk}/strassen/", {"file": csv_file("Birkenweg\n")})
    page = admin_client_a.get("/backoffice/orte/pruefen/", {"address": "Birkenweg 3", "lat": "50.735", "lon": "7.878"})
    text = page.content.decode()
    assert text.count("Elkenroth") >= 2 and "Birkenweg 3" in text


def test_residents_and_visitors_cannot_open_the_places_pages(villages, client_a):
    for path in ("/backoffice/orte/", "/backoffice/orte/pruefen/", f"/backoffice/orte/{villages[0].pk}/strassen/"):
        assert client_a.get(path).status_code in (302, 403, 404), path
