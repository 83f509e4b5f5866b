"""Template side of the Content-Security-Policy (core.security_headers)."""

from __future__ import annotations

from typing import Any

from django import template

from core.security_headers import allow_data_images

register = template.Library()


@register.simple_tag(takes_context=True)
def csp_allow_data_images(context: Any) -> str:
    """This page may show data: images (Leaflet's maps need them); renders nothing."""
    request = context.get("request")
    if request is not None:
        allow_data_images(request)
    return ""
