"""`{% personal_part "template.html" %}`: a piece of a page that is each signed-in person's own.

It renders the template in place, with the page's context. While the page is rendered to be shared by
everyone in its audience (core.resident_pages), it writes a marker instead, which every answer gets
replaced by the template rendered for its person. So the template may read only what the request's
context processors give (``user``, ``request``, ``header_items``, ...), never the view's context.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.resident_pages import hole_marker, rendering_shared

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_part(context: Any, template_name: str) -> SafeString:
    if rendering_shared(context.get("request")):
        return mark_safe(hole_marker(template_name))
    return mark_safe(str(context.template.engine.get_template(template_name).render(context)))
