"""Every map layer a module provides answers the way the map page calls it (contract check for MapLayer)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.capabilities import call, declared, declared_by_module
from core.maps import MapLayer, MapPoint


def exercise_map_layer(capability: MapLayer, town, resident) -> None:
    """Call the layer like /karte/ does, for a visitor and a resident; the answer is a list of MapPoints."""
    for user in (AnonymousUser(), resident):
        request = RequestFactory().get("/karte/")
        request.user = user
        request.tenant = town
        points = call(capability.points, request)
        assert isinstance(points, list) and all(isinstance(point, MapPoint) for point in points)


LAYERS = [pytest.param(app, layer, id=layer.key) for app, layer in declared_by_module(MapLayer)]


@pytest.mark.parametrize(("app", "layer"), LAYERS)
def test_every_map_layer_answers_with_points(app, layer, in_town_a):
    from accounts.models import User

    # The key names the module and is unique; the colour is one the map can draw; points() really runs.
    assert layer.key.startswith(f"{app.label}.") and str(layer.label).strip()
    assert [other.key for other in declared(MapLayer)].count(layer.key) == 1
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", layer.colour)
    resident = User.objects.create_user(email="karte@example.org", name="Karla Karte", password=None)
    exercise_map_layer(layer, in_town_a, resident)
