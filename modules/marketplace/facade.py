"""The marketplace's public face: the ONLY thing other modules and platform code import.

Everything returned is a plain frozen dataclass, so callers never hold (or
write through) marketplace model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.branding import town_url
from modules.marketplace import selectors
from modules.marketplace.models import Listing


@dataclass(frozen=True)
class ListingSummary:
    """One current listing, as shown in a teaser list of another page."""

    id: int
    title: str
    kind: str  # "offer" or "request"
    listing_type: str  # give_away, lend, sell, swap, help
    price: str  # as displayed ("12,50 €", "Free", ""), already localised
    url: str  # absolute, on the town's own domain
    ortsgemeinde_id: int | None  # None: anywhere in the town
    created_at: datetime


def _summaries(listings) -> list[ListingSummary]:
    origin = town_url("")  # one domain lookup per call
    return [_summary(listing, origin) for listing in listings]


def _summary(listing: Listing, origin: str) -> ListingSummary:
    return ListingSummary(
        id=listing.pk,
        title=listing.title,
        kind=listing.kind,
        listing_type=listing.listing_type,
        price=listing.price_display,
        url=origin + listing.get_absolute_url(),
        ortsgemeinde_id=listing.ortsgemeinde_id,
        created_at=listing.created_at,
    )


def latest_listings(*, ortsgemeinde_id: int | None = None, limit: int = 5) -> list[ListingSummary]:
    """The newest current listings; with `ortsgemeinde_id`, that village's and town-wide ones."""
    return _summaries(selectors.listing_list_public(ortsgemeinde_id=ortsgemeinde_id)[:limit])


def search_listings(query: str, limit: int = 10) -> list[ListingSummary]:
    """Current listings matching `query` (German stemming), best match first."""
    return _summaries(selectors.listing_list_public(search=query)[:limit])
