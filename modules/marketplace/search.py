"""Suche & Biete in the site-wide search (core.search): current listings."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.marketplace.models import Listing
from modules.marketplace.selectors import public_q


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Active and reserved listings before their expiry (never done, expired or removed ones), one query."""
    listings = ranked(Listing.objects.filter(public_q()), "search_vector", query, "-created_at", "-id")
    listings = listings.select_related("ortsgemeinde")[:limit]
    return [
        SearchResult(
            title=listing.title,
            url=listing.get_absolute_url(),
            kind_label=_("Suche & Biete · %(kind)s") % {"kind": listing.get_kind_display()},
            snippet=excerpt(listing.description, query),
            date=listing.created_at,
            place=listing.ortsgemeinde.name if listing.ortsgemeinde_id else "",
            rank=float(listing.rank),
        )
        for listing in listings
    ]
