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
