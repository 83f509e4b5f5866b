"""Straight-line geometry for matching rides: no routing service, a road factor instead.

Distances between villages of one Verbandsgemeinde are short (under 30 km), so an
equirectangular projection around the points is exact to well under 1 %; the road
factor (roads wind through the Westerwald) matters far more than the earth's curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_KM_PER_DEGREE = 111.195
# Roads between the villages are about a third longer than the straight line.
ROAD_FACTOR = 1.3
# Average speed on the district's roads, for "minutes of detour" and pickup times.
KM_PER_MINUTE = 0.8


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def _xy(point: Point, origin_lat: float) -> tuple[float, float]:
    return (point.lon * EARTH_KM_PER_DEGREE * math.cos(math.radians(origin_lat)), point.lat * EARTH_KM_PER_DEGREE)


def straight_km(a: Point, b: Point) -> float:
    mid = (a.lat + b.lat) / 2
    ax, ay = _xy(a, mid)
    bx, by = _xy(b, mid)
    return math.hypot(ax - bx, ay - by)


def road_km(a: Point, b: Point) -> float:
    return straight_km(a, b) * ROAD_FACTOR


def detour_km(start: Point, end: Point, pickup: Point, dropoff: Point) -> float:
    """Extra road kilometres for driving start → pickup → dropoff → end instead of start → end."""
    via = road_km(start, pickup) + road_km(pickup, dropoff) + road_km(dropoff, end)
    return max(0.0, via - road_km(start, end))


def position_along(start: Point, end: Point, point: Point) -> float:
    """Where `point` lies along start → end: 0 at the start, 1 at the end (projection, may leave 0..1)."""
    mid = (start.lat + end.lat) / 2
    sx, sy = _xy(start, mid)
    ex, ey = _xy(end, mid)
    px, py = _xy(point, mid)
    dx, dy = ex - sx, ey - sy
    length = dx * dx + dy * dy
    if length == 0:
        return 0.0
    return ((px - sx) * dx + (py - sy) * dy) / length


def bounding_box(points: list[Point], margin_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) around `points`, widened by `margin_km` on every side."""
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    dlat = margin_km / EARTH_KM_PER_DEGREE
    widest = max(abs(lat) for lat in lats) + dlat
    dlon = margin_km / (EARTH_KM_PER_DEGREE * max(0.1, math.cos(math.radians(min(widest, 89.0)))))
    return (min(lats) - dlat, max(lats) + dlat, min(lons) - dlon, max(lons) + dlon)


def rounded(value: float) -> float:
    """A free map point as shown to others: 2 decimals (about 1 km), so no house can be told."""
    return round(value, 2)
