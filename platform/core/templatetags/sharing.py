"""``{% share_box title text path %}``: the "Teilen" box of a detail page (core.sharing)."""

from __future__ import annotations

from typing import Any

from django import template

from core.sharing import share_links
from core.templatetags.brand import absolute_url

register = template.Library()


@register.inclusion_tag("core/_share.html", takes_context=True)
def share_box(context: Any, title: str, text: str, path: str) -> dict[str, Any]:
    return {"share": share_links(title=title, text=text, url=absolute_url(context, path))}
