"""The read API: current listings only, prices in cents, absolute URLs on the town's domain, ETag/304."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.page_cache import generation_bump
from modules.marketplace.models import Listing, ListingStatus, ListingType
from tests.helpers import TownClient, host_of
from tests.modules.marketplace.factories import ListingFactory


def test_list_and_detail(town_a, seller, villages):
    # given
    listing = ListingFactory(owner=seller, ortsgemeinde=villages["x"], description="<b>fett</b>")
    free = ListingFactory(owner=seller, listing_type=ListingType.GIVE_AWAY, title="Kartons")
    done = ListingFactory(owner=seller, title="Weg")
    Listing.objects.filter(pk=done.pk).update(status=ListingStatus.DONE)
    client = TownClient(host_of(town_a))

    # when
    data = client.get("/api/v1/marketplace/listings/").json()
    detail = client.get(f"/api/v1/marketplace/listings/{listing.pk}/").json()

    # then
    assert {item["id"] for item in data["results"]} == {listing.pk, free.pk}
    assert detail["price"] == {"mode": "fixed", "amount_cents": 2500, "currency": "EUR", "display": "25,00\u00a0€"}
    assert detail["url"] == f"http://{host_of(town_a)}/marketplace/{listing.pk}/"
    assert detail["description"] == "<b>fett</b>"  # plain text: clients escape it
    assert detail["author"] == "Vera V." and "anbieterin" not in str(detail)
    assert client.get("/api/v1/marketplace/listings/?free=true").json()["count"] == 1
    assert client.get("/api/v1/marketplace/listings/?ortsgemeinde=xanten-au").json()["count"] == 2
    assert client.get("/api/v1/marketplace/listings/?ortsgemeinde=nirgendwo").status_code == 400
    assert client.get("/api/v1/marketplace/listings/?kind=bogus").status_code == 400
    assert client.get(f"/api/v1/marketplace/listings/{done.pk}/").status_code == 404


def test_etag_answers_304_until_something_changes(town_a, seller):
    listing = ListingFactory(owner=seller)
    client = TownClient(host_of(town_a))
    for path in ("/api/v1/marketplace/listings/", f"/api/v1/marketplace/listings/{listing.pk}/"):
        first = client.get(path)
        assert first.status_code == 200 and first["ETag"]
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        Listing.objects.filter(pk=listing.pk).update(title="Geändert", updated_at=timezone.now() + timedelta(1))
        generation_bump("marketplace")  # update() sends no signal: the writer says so itself
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_facade_returns_plain_summaries(in_town_a, seller, villages):
    from modules.marketplace import facade

    listing = ListingFactory(owner=seller, title="Fahrräder", ortsgemeinde=villages["y"])
    ListingFactory(owner=seller, title="Tisch", ortsgemeinde=villages["x"])
    found = facade.search_listings("Fahrrad")
    assert [summary.id for summary in found] == [listing.pk]
    assert found[0].url.endswith(f"/marketplace/{listing.pk}/") and found[0].price == "25,00\u00a0€"
    assert [s.title for s in facade.latest_listings(ortsgemeinde_id=villages["y"].pk)] == ["Fahrräder"]
