"""The town's map page and the map tile proxy (core.maps explains why tiles go through the platform)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.maps import TileUnavailable, layers_with_points, map_context, tile_fetch, tile_in_range, tiles_enabled


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The town's map: every enabled module's layers on one map, and the same places as a list."""
    layers = layers_with_points(request)
    return render(request, "core/map.html", {
        "layers": layers,
        "map": map_context("town-map", [(str(lp.layer.label), lp.layer.colour, lp.points) for lp in layers],
                           label=_("Map of the town")),
    })


@require_GET
def map_tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """One map tile through the platform's caching proxy (see core.maps for why a proxy)."""
    if not tiles_enabled() or not tile_in_range(z, x, y):
        raise Http404
    try:
        body, content_type = tile_fetch(z, x, y)
    except TileUnavailable:
        # Leaflet leaves a grey square; the page's list of places still works.
        response = HttpResponse(status=502)
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
