"""Suche & Biete in the site-wide search: current listings only."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from modules.marketplace.models import Listing, ListingStatus
from tests.core import search_content as content


def _finds(client, query: str, listing) -> bool:
    return f'href="{listing.get_absolute_url()}"' in client.get("/suche/", {"q": query}).content.decode()


def test_only_current_listings_are_found(in_town_a, client_a):
    active = content.listing("Kinderfahrrad 20 Zoll")
    reserved = content.listing("Kinderfahrrad mit Stützrädern")
    Listing.objects.filter(pk=reserved.pk).update(status=ListingStatus.RESERVED)
    gone = {}
    for status in (ListingStatus.DONE, ListingStatus.EXPIRED, ListingStatus.REMOVED):
        gone[status] = content.listing(f"Kinderfahrrad {status}")
        Listing.objects.filter(pk=gone[status].pk).update(status=status)
    past = content.listing("Kinderfahrrad blau")
    Listing.objects.filter(pk=past.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    assert _finds(client_a, "Kinderfahrrad", active)
    assert _finds(client_a, "Kinderfahrrad", reserved)
    for listing in (*gone.values(), past):
        assert not _finds(client_a, "Kinderfahrrad", listing), listing.title
    assert "Suche &amp; Biete · Biete" in client_a.get("/suche/", {"q": "Kinderfahrrad"}).content.decode()
