"""Tags of the start page's personal parts (core/home.html), which see only the request's context."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.feed import home_feed_section

register = template.Library()


@register.simple_tag(takes_context=True)
def own_home_feed(context: Any) -> SafeString:
    """The visitor's feed section, rendered and escaped by core.feed ("" when it is empty)."""
    return mark_safe(home_feed_section(context["request"]))
