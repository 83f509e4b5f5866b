"""The Branchenbuch in the site-wide search (core.search): approved, published businesses."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.directory.models import Business
from modules.directory.selectors import visible_q


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Businesses the town approved and their owners show (never pending or rejected ones), one query."""
    businesses = ranked(Business.objects.filter(visible_q()), "search_vector", query, "name", "id")
    businesses = businesses.select_related("ortsgemeinde")[:limit]
    return [
        SearchResult(
            title=business.name,
            url=business.get_absolute_url(),
            kind_label=_("Branchenbuch"),
            snippet=excerpt(business.description or business.delivery_notes, query),
            place=business.ortsgemeinde.name if business.ortsgemeinde_id else business.locality,
            rank=float(business.rank),
        )
        for business in businesses
    ]
