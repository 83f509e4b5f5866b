from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.urls import reverse

from core.colours import readable_text_on

register = template.Library()


def brand_stylesheet(primary: str, accent: str) -> str:
    """CSS variables for a town's colours (validated #RRGGBB values only), served by town:brand-css."""
    return (
        ":root{"
        f"--primary:{primary};--accent:{accent};"
        f"--on-primary:{readable_text_on(primary)};--on-accent:{readable_text_on(accent)};"
        "}\n"
    )


@register.simple_tag
def brand_css_url(town: Any) -> str:
    """The town's colour sheet, versioned by its colours (a style sheet, not inline CSS: the CSP forbids that)."""
    version = hashlib.sha256(f"{town.primary_colour}{town.accent_colour}".encode()).hexdigest()[:12]
    return f"{reverse('town:brand-css')}?v={version}"


@register.simple_tag
def town_brand() -> dict[str, Any]:
    """The current town's name, address, colours and contact person, for e-mail templates."""
    from core.mail import town_mail_context

    brand: dict[str, Any] = town_mail_context()["brand"]
    return brand


@register.simple_tag(takes_context=True)
def absolute_url(context: Any, path: str) -> str:
    """`path` on the town's primary domain, for link previews (Open Graph) and other absolute links.

    The origin comes from the town's domain row, never from the Host header (ISOLATION T9); it is
    looked up once per page and kept on the request.
    """
    from core.branding import town_url

    request = context.get("request")
    origin = getattr(request, "_dorfkern_origin", None)
    if origin is None:
        origin = town_url("/").rstrip("/")
        if request is not None:
            request._dorfkern_origin = origin
    if path.startswith(("http://", "https://")):
        return path
    return origin + (path if path.startswith("/") else "/" + path)
