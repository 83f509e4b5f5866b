"""Template tags of the map component (core.maps)."""

from __future__ import annotations

from django import template

from core.capabilities import provided
from core.maps import MapLayer

register = template.Library()


@register.simple_tag
def town_has_map() -> bool:
    """True while an enabled module provides a map layer: the main navigation then links the town's map."""
    return bool(provided(MapLayer))
