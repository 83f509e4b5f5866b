from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from core.capabilities import fragments, provided
from core.modules import HeaderItem, PageAside, PageBanner
from core.search import QUERY_MAX_LENGTH, SearchProvider
from core.tenancy import connection


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
        "header_items": partial(fragments, HeaderItem, request),
        "page_asides": partial(fragments, PageAside, request),
        "page_banners": partial(fragments, PageBanner, request),
        # The header's search box, where an enabled module can be searched (no query: the switches are memoised).
        "site_search": bool(provided(SearchProvider)),
        "site_search_max_length": QUERY_MAX_LENGTH,
    }
