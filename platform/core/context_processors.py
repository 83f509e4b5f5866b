from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from core.tenancy import connection


def town(request: HttpRequest) -> dict[str, Any]:
    """Branding, contact person and navigation for every town page."""
    if connection.schema_name == "public":
        return {"is_public_site": True}
    from core.nav import nav_for
    from core.promotions import page_patrons
    from town.selectors import town_profile_get

    return {
        "is_public_site": False,
        "town": town_profile_get(),
        "tenant": getattr(request, "tenant", None),
        "main_nav": nav_for(request),
        "backoffice_nav": nav_for(request, backoffice=True),
        # Called by the template only where base.html names the page's patrons (no query elsewhere).
        "page_patrons": partial(page_patrons, request),
    }
