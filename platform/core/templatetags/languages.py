"""``{% ui_languages as languages %}``: the languages the switcher offers (core.languages)."""

from __future__ import annotations

from django import template

from core.languages import selectable_languages

register = template.Library()


@register.simple_tag
def ui_languages() -> list[tuple[str, str]]:
    return selectable_languages()
