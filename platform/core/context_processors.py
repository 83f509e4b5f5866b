from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from core.capabilities import Capability, call, provided
from core.modules import HeaderItem, PageAside
from core.tenancy import connection


def _rendered(kind: type[HeaderItem] | type[PageAside], request: HttpRequest) -> list[SafeString]:
    # Capabilities return HTML they rendered themselves (render_to_string): it is safe as it stands.
    pieces: list[Capability] = sorted(provided(kind), key=lambda c: c.order)  # type: ignore[attr-defined]
    return [mark_safe(html) for piece in pieces if (html := call(piece.render, request))]  # type: ignore[attr-defined]


def town(request: HttpRequest) -> dict[str, Any]:
    """Branding, contact person and navigation for every town page."""
    if connection.schema_name == "public":
        return {"is_public_site": True}
    from core.branding import town_profile
    from core.nav import nav_for

    return {
        "is_public_site": False,
        "town": town_profile(),
        "tenant": getattr(request, "tenant", None),
        "main_nav": nav_for(request),
        "backoffice_nav": nav_for(request, backoffice=True),
        # Called by the template only where base.html shows them (no query on pages that don't).
        "header_items": partial(_rendered, HeaderItem, request),
        "page_asides": partial(_rendered, PageAside, request),
    }
