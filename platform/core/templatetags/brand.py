from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from core.colours import readable_text_on

register = template.Library()


@register.simple_tag
def brand_css(town: Any) -> str:
    """CSS variables for the town's colours (validated #RRGGBB values only); `town` is its profile."""
    primary = town.primary_colour
    accent = town.accent_colour
    return mark_safe(
        ":root{"
        f"--primary:{primary};--accent:{accent};"
        f"--on-primary:{readable_text_on(primary)};--on-accent:{readable_text_on(accent)};"
        "}"
    )


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
