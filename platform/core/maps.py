"""Map layers: geo points that modules show on the town's one map page (/karte/) and their own pages.

A module provides a :class:`MapLayer` in its spec; ``points(request)`` returns the
:class:`MapPoint` s the visitor may see, in a fixed number of queries however many rows there are:

    MapLayer(key="directory.businesses", label=_("Businesses"),
             points="modules.directory.selectors.map_points", colour="#b45309")

The platform page draws every enabled module's layers on one Leaflet map with a layer switcher,
and always lists the same points as plain links below it: that list is what a visitor without
JavaScript, with a screen reader, or whose tiles didn't load uses. Modules that draw a map on
their own pages use the same component (``core/_map.html`` with :func:`map_context`).

Map tiles come from ``settings.MAP_TILE_URL`` (OpenStreetMap's by default) through the platform's
own caching proxy (:func:`tile_fetch`, served by ``core.views.map_tile``), never straight from the
visitor's browser. We chose the proxy over a consent button because a map of a village shows
where people live and work: a browser that asks a third party for the tiles around an address
tells it the visitor's IP address and which street they look at. Through the proxy the tile server
sees only the platform, every visitor gets the map without first having to agree to anything,
and the cache spares the tile server (OpenStreetMap's tile policy asks for exactly that).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core import outbound
from core.capabilities import Capability, Ref, call, provided

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Points per layer on one page: beyond this a map is unreadable and the list too long.
MAX_POINTS_PER_LAYER = 500


@dataclass(frozen=True)
class MapPoint:
    """One place on the map. Plain text only: the page escapes everything."""

    lat: float
    lon: float
    title: str
    url: str = ""  # a path on the town's site, shown as the popup's and the list's link
    text: str = ""  # one or two lines for the popup, e.g. the address
    category: str = ""  # e.g. "Bäckerei"; shown in the popup and the list


@dataclass(frozen=True)
class MapLayer(Capability):
    """A set of points a module contributes to the town's map.

    ``points(request)`` returns the points the visitor may see (at most MAX_POINTS_PER_LAYER
    are shown), in a fixed number of queries. ``colour`` is the markers' colour (a #rrggbb value
    readable on a map).
    """

    kind_label = "map layer"

    key: str  # unique over all modules, e.g. "directory.businesses"
    label: StrOrPromise
    points: Ref  # (request) -> Sequence[MapPoint]
    colour: str = "#1d4ed8"
    order: int = 100


@dataclass(frozen=True)
class LayerPoints:
    layer: MapLayer
    points: list[MapPoint]


def layers_with_points(request: HttpRequest) -> list[LayerPoints]:
    """Every enabled module's layers with the points this visitor may see, in layer order."""
    found = []
    for layer in sorted(provided(MapLayer), key=lambda layer: (layer.order, layer.key)):
        points = [p for p in call(layer.points, request)[:MAX_POINTS_PER_LAYER] if point_is_valid(p)]
        found.append(LayerPoints(layer, points))
    return found


def point_is_valid(point: MapPoint) -> bool:
    return math.isfinite(point.lat) and math.isfinite(point.lon) and -90 <= point.lat <= 90 and -180 <= point.lon <= 180


def tiles_enabled() -> bool:
    """False when the operator switched maps off (MAP_TILE_URL empty): pages then show only the lists."""
    return bool(settings.MAP_TILE_URL)


def map_context(element_id: str, layers: Sequence[tuple[str, str, Sequence[MapPoint]]], *,
                label: str) -> dict[str, Any] | None:
    """What ``core/_map.html`` needs to draw `layers` ((label, colour, points) each), or None: no map.

    There is no map when tiles are switched off or no layer has a point; the page's own list
    of the places stays the way to reach them.
    """
    if not tiles_enabled() or not any(points for _label, _colour, points in layers):
        return None
    from django.urls import reverse

    tiles = reverse("map") + "kacheln/{z}/{x}/{y}.png"  # Leaflet fills in the numbers; see urls_tenant
    return {
        "id": element_id,
        "data_id": f"{element_id}-data",
        "label": label,
        "tiles": tiles,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "max_zoom": settings.MAP_TILE_MAX_ZOOM,
        "layers": [
            {"label": str(layer_label), "colour": colour, "points": [asdict(p) for p in points]}
            for layer_label, colour, points in layers
        ],
    }


# --- the tile proxy ---------------------------------------------------------------

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class TileUnavailable(Exception):
    """The tile server didn't answer with an image in time; the page keeps its list."""


def tile_in_range(z: int, x: int, y: int) -> bool:
    max_zoom: int = settings.MAP_TILE_MAX_ZOOM
    return 0 <= z <= max_zoom and 0 <= x < 2**z and 0 <= y < 2**z


def _tile_url(z: int, x: int, y: int) -> str:
    template: str = settings.MAP_TILE_URL
    return template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def _minute() -> int:
    return int(time.time() // 60)


def tile_fetch(z: int, x: int, y: int) -> tuple[bytes, str]:
    """One tile's bytes and content type, from the cache or from the configured tile server.

    Only the host of ``MAP_TILE_URL`` is ever contacted (the operator's setting; towns and
    visitors choose nothing but three numbers that are checked to be a real tile), with a connect
    and read timeout, no redirects and a size cap; anything else than a PNG or JPEG is refused.
    The request goes through the kernel's outbound client (core.outbound) like every other call
    to a server the platform doesn't control: internal addresses are refused after DNS.
    """
    if not tile_in_range(z, x, y):
        raise TileUnavailable("not a tile")
    url = _tile_url(z, x, y)
    if urlsplit(url).scheme not in ("http", "https"):
        raise TileUnavailable("tile URL is not http(s)")
    key = f"map-tile:{url}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # A budget of fetches per town and minute: someone paging through the whole world's tiles
    # can't turn the platform into a scraper of the tile server. Cached tiles are still served.
    minute = f"map-tile-fetches:{_minute()}"
    cache.add(minute, 0, 120)
    if cache.incr(minute) > settings.MAP_TILE_FETCHES_PER_MINUTE:
        raise TileUnavailable("fetch budget of this minute used up")
    limit = settings.MAP_TILE_MAX_BYTES
    try:
        response = outbound.get(url, headers={"User-Agent": settings.MAP_TILE_USER_AGENT},
                                timeout=settings.MAP_TILE_TIMEOUT_SECONDS, max_bytes=limit, follow_redirects=False)
    except outbound.OutboundError as exc:
        raise TileUnavailable(exc.detail or str(exc)) from exc
    if response.status != 200:
        raise TileUnavailable(f"tile server answered {response.status}")
    body = response.body
    if body.startswith(PNG_MAGIC):
        found = (body, "image/png")
    elif body.startswith(JPEG_MAGIC):
        found = (body, "image/jpeg")
    else:
        raise TileUnavailable("not an image")
    cache.set(key, found, settings.MAP_TILE_CACHE_SECONDS)
    return found
