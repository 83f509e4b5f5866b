"""Places: a point lands in its Ortsgemeinde, a typed address finds its street (pure functions and selectors)."""

from __future__ import annotations

import json
from dataclasses import astuple

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import sql_statements
from town.models import Ortsgemeinde
from town.places import address_split, place_key, point_in_area, street_key
from town.places_forms import AddressField
from town.places_selectors import address_matches, ortsgemeinde_at
from town.places_services import boundaries_import, streets_import


def square(lon: float, lat: float, size: float = 0.01) -> list:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def collection(*features: tuple[str, dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": geometry} for name, geometry in features
    ]}).encode()


@pytest.mark.parametrize(("typed", "stored"), [
    ("Hauptstr.", "Hauptstraße"),
    ("hauptstrasse", "Hauptstraße"),
    ("Haupt-Straße", "Hauptstraße"),
    ("Muehlenweg", "Mühlenweg"),
    ("MÜHLENWEG", "Mühlenweg"),
    ("Am  Markt", "Am Markt"),
    ("Str. des 17. Juni", "Straße des 17. Juni"),
])
def test_street_spellings_agree(typed, stored):
    assert street_key(typed) == street_key(stored)


def test_different_streets_stay_apart():
    assert street_key("Am Strauch") != street_key("Am Str")
    assert street_key("Hauptstraße") != street_key("Hauptweg")


def test_an_address_is_split_into_street_number_and_place():
    assert astuple(address_split("Hauptstr. 5a, 57578 Elkenroth")) == ("Hauptstr.", "5a", "Elkenroth", "57578")
    assert astuple(address_split("Straße des 17. Juni 12 - 14")) == ("Straße des 17. Juni", "12-14", "", "")
    assert astuple(address_split("Birkenweg")) == ("Birkenweg", "", "", "")
    assert place_key("Ortsgemeinde Steinebach/Sieg") == place_key("steinebach sieg")


def test_point_in_an_area_with_a_hole():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    area = [[outer, hole]]
    assert point_in_area(1, 1, area)
    assert not point_in_area(5, 5, area)  # in the hole
    assert not point_in_area(11, 5, area)
    assert point_in_area(21, 1, [[outer], [[[20, 0], [22, 0], [22, 2], [20, 0]]]])  # second part of a MultiPolygon


def _selects(queries: CaptureQueriesContext) -> list[str]:
    # django-tenants may set the schema first; that is not a query of ours
    return sql_statements(queries)


@pytest.fixture
def villages(in_town_a):
    elkenroth = Ortsgemeinde.objects.create(name="Elkenroth", slug="elkenroth", postal_codes="57578")
    nauroth = Ortsgemeinde.objects.create(name="Nauroth", slug="nauroth", postal_codes="57583")
    steinebach = Ortsgemeinde.objects.create(name="Steinebach/Sieg", slug="steinebach-sieg", postal_codes="57520")
    boundaries_import(data=collection(
        ("Elkenroth", {"type": "Polygon", "coordinates": square(7.86, 50.72, 0.03)}),
        ("Nauroth", {"type": "MultiPolygon", "coordinates": [square(7.90, 50.72), square(7.95, 50.72)]}),
    ))
    streets_import(ortsgemeinde=elkenroth, data="Hauptstraße\nBirkenweg\n".encode())
    streets_import(ortsgemeinde=nauroth, data="Hauptstraße\nMühlenweg\n".encode())
    streets_import(ortsgemeinde=steinebach, data="Kirchstraße\n".encode())
    return elkenroth, nauroth, steinebach


def test_a_point_is_placed_in_its_ortsgemeinde_in_one_query(villages):
    elkenroth, nauroth, _steinebach = villages
    with CaptureQueriesContext(connection) as queries:
        assert ortsgemeinde_at(lat=50.735, lon=7.878) == elkenroth
    assert len(_selects(queries)) == 1
    assert ortsgemeinde_at(lat=50.725, lon=7.955) == nauroth  # in the second part
    assert ortsgemeinde_at(lat=50.725, lon=7.935) is None  # between Nauroth's parts
    assert ortsgemeinde_at(lat=52.5, lon=13.4) is None


def test_a_typed_address_finds_its_street(villages):
    elkenroth, nauroth, steinebach = villages
    with CaptureQueriesContext(connection) as queries:
        [match] = address_matches("birkenweg 3")
    assert len(_selects(queries)) == 1
    assert (match.street.name, match.number, match.ortsgemeinde) == ("Birkenweg", "3", elkenroth)
    [match] = address_matches("Hauptstr. 5, Elkenroth")
    assert match.ortsgemeinde == elkenroth and str(match) == "Hauptstraße 5, Elkenroth"
    [match] = address_matches("Hauptstrasse 5, 57583")
    assert match.ortsgemeinde == nauroth
    [match] = address_matches("Kirchstr. 1, Steinebach")
    assert match.ortsgemeinde == steinebach
    assert len(address_matches("Hauptstraße 5")) == 2  # in two villages: the caller asks which
    assert address_matches("Hauptstraße 5, Betzdorf") == []
    assert address_matches("Bahnhofstraße 1") == []
    assert [m.ortsgemeinde for m in address_matches("Hauptstraße 1", ortsgemeinde_id=nauroth.pk)] == [nauroth]


def test_the_address_field_explains_what_is_missing(villages):
    field = AddressField()
    assert field.clean("Mühlenweg 2").ortsgemeinde.name == "Nauroth"
    with pytest.raises(forms.ValidationError) as unknown:
        field.clean("Gibtsnichtweg 1")
    assert unknown.value.code == "unknown"
    with pytest.raises(forms.ValidationError) as ambiguous:
        field.clean("Hauptstraße 5")
    assert "Elkenroth" in str(ambiguous.value.messages) and "Nauroth" in str(ambiguous.value.messages)
    assert AddressField(required=False).clean("") is None
