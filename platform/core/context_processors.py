from __future__ import annotations

from functools import cache, partial
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.capabilities import fragments, provided
from core.modules import HeaderItem, PageAside, PageBanner
from core.search import QUERY_MAX_LENGTH, SearchProvider
from core.tenancy import connection


def town(request: HttpRequest) -> dict[str, Any]:
    """Branding, contact person and navigation for every town page.

    Every render_to_string(request=...) of a widget, prompt or header item runs the context
    processors again: the answer is kept on the request (per schema) so a start page builds its
    navigation once instead of once per fragment.
    """
    if connection.schema_name == "public":
        return {"is_public_site": True}
    memo: tuple[str, dict[str, Any]] | None = getattr(request, "_dorfkern_town_context", None)
    if memo is not None and memo[0] == connection.schema_name:
        return memo[1]
    from core.branding import town_profile
    from core.nav import nav_audience, nav_for

    context = {
        "is_public_site": False,
        # Lazy: the personal parts of a page from the cache (core.resident_pages) run the context
        # processors again but never show the profile.
        "town": SimpleLazyObject(town_profile),
        "tenant": getattr(request, "tenant", None),
        # Built when the template first reads them: only back-office pages show backoffice_nav.
        # Called, not read: {% if main_nav %} and {% for item in main_nav %} build it once between them.
        "main_nav": cache(partial(nav_for, request)),
        # Who shares the site header (its menu), with the address: called only where base.html keys it.
        "nav_audience": partial(nav_audience, request),
        "backoffice_nav": cache(partial(nav_for, request, backoffice=True)),
        # Called by the template only where base.html shows them (no query on pages that don't).
        "header_items": partial(fragments, HeaderItem, request),
        "page_asides": partial(fragments, PageAside, request),
        "page_banners": partial(fragments, PageBanner, request),
        # The header's search box, where an enabled module can be searched (no query: the switches are memoised).
        "site_search": cache(lambda: bool(provided(SearchProvider))),
        "site_search_max_length": QUERY_MAX_LENGTH,
    }
    request._dorfkern_town_context = (connection.schema_name, context)  # type: ignore[attr-defined]
    return context
