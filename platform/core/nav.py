"""Navigation built from the enabled modules' declarations and the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.access import user_passes
from core.capabilities import provided
from core.modules import BackofficeLink, NavItem, all_modules


def nav_for(request: HttpRequest, *, backoffice: bool = False) -> list[dict[str, Any]]:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return []
    enabled = tenant.enabled_module_keys()
    items: list[NavItem] = [
        item
        for key, module in all_modules().items()
        if key in enabled
        for item in module.spec.nav
        if item.backoffice == backoffice and user_passes(request.user, item.permission)
    ]
    result = []
    for item in sorted(items, key=lambda i: (i.order, str(i.label))):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return result


def nav_audience(request: HttpRequest) -> str:
    """Everyone with the same main menu: which of the permissions its entries ask for the visitor has.

    Part of the key under which the site header is shared (core/base.html); the active entry follows
    from the address, which is in the key too.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return ""
    enabled = tenant.enabled_module_keys()
    asked = sorted({item.permission for key, module in all_modules().items() if key in enabled
                    for item in module.spec.nav if not item.backoffice and item.permission is not None})
    return ",".join(f"{permission}={int(user_passes(request.user, permission))}" for permission in asked)


def backoffice_menu(request: HttpRequest) -> list[dict[str, Any]]:
    """The back office's sections (BackofficeLink capabilities) this user may open, in order."""
    entries = []
    for entry in sorted(provided(BackofficeLink), key=lambda e: e.order):
        if not user_passes(request.user, entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "description": entry.description,
                        "active": request.path.startswith(url)})
    return entries
