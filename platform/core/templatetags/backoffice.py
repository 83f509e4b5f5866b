"""The back-office menu for any page that extends town/backoffice/base.html."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_menu(context: template.Context) -> list[dict[str, Any]]:
    from town.views import backoffice_menu as build

    request = context.get("request")
    return build(request) if request is not None else []


@register.simple_tag(takes_context=True)
def may_use_backoffice(context: template.Context) -> bool:
    """Whether the header shows the back-office link (admins, moderators, editors of an organisation)."""
    from core.tenancy import connection
    from town.views import may_use_backoffice as allowed

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or connection.schema_name == "public":
        return False
    return allowed(user)
