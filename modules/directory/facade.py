"""The directory's public face: the ONLY thing other modules (e.g. errands) import.

Everything returned is a frozen dataclass, so callers never hold directory
model instances. Only approved, published businesses are ever returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from core.branding import town_url
from modules.directory import selectors


@dataclass(frozen=True)
class BusinessSummary:
    """One business of the directory, as another module shows or links it."""

    id: int
    name: str
    slug: str
    ortsgemeinde_id: int | None
    ortsgemeinde_name: str  # "" when the business named no Ortsgemeinde
    url: str  # absolute, on the town's own domain
    is_open_now: bool


def _summaries(businesses) -> list[BusinessSummary]:
    origin = town_url("")  # one domain lookup per call
    now = timezone.now()
    return [
        BusinessSummary(
            id=business.pk,
            name=business.name,
            slug=business.slug,
            ortsgemeinde_id=business.ortsgemeinde_id,
            ortsgemeinde_name=business.ortsgemeinde.name if business.ortsgemeinde_id else "",
            url=origin + business.get_absolute_url(),
            is_open_now=selectors.business_is_open(business, now),
        )
        for business in businesses
    ]


def business_choices(*, ortsgemeinde_id: int | None = None) -> list[BusinessSummary]:
    """Every visible business, by name; with `ortsgemeinde_id`, that village's businesses come first."""
    return _summaries(selectors.business_list_visible(near_ortsgemeinde_id=ortsgemeinde_id, with_hours=True))


def business_get(business_id: int) -> BusinessSummary | None:
    """The visible business with this id, or None (pending, rejected, hidden or unknown)."""
    business = selectors.business_list_visible(with_hours=True).filter(pk=business_id).first()
    return _summaries([business])[0] if business else None
