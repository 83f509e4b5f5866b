"""The back-office menu and header link, built from capabilities (core.nav.backoffice_menu)."""

from __future__ import annotations

from typing import Any

from django import template

from core.access import may_use_backoffice as allowed
from core.nav import backoffice_menu as build
from core.tenancy import connection

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_menu(context: template.Context) -> list[dict[str, Any]]:
    request = context.get("request")
    return build(request) if request is not None else []


@register.simple_tag(takes_context=True)
def may_use_backoffice(context: template.Context) -> bool:
    """Whether the header shows the back-office link (admins, moderators, editors of an organisation)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or connection.schema_name == "public":
        return False
    return allowed(user)
