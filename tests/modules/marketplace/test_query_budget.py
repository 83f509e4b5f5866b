"""The list, the API list and the start page cost a fixed number of queries: 10 listings or 1,000."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.marketplace.models import Category, Listing, ListingKind, ListingPhoto, ListingType, PriceMode
from tests.accounts.factories import UserFactory
from tests.helpers import START_PAGE_QUERY_BUDGET, TownClient, host_of, logged_in_client, sql_statements

# "Open now" on the start page is cached per minute: compare within one minute.
pytestmark = pytest.mark.usefixtures("steady_minute")

BUDGETS = {"/marketplace/": 12, "/marketplace/?q=Fahrrad&free=on": 12, "/api/v1/marketplace/listings/": 10,
           "/": START_PAGE_QUERY_BUDGET}


def _listings(count: int, owner, villages) -> None:
    """Rows straight into the table (the services would take minutes for 1,000), with photos and search index."""
    categories = list(Category.objects.all())
    now = timezone.now()
    types = list(ListingType)
    rows = Listing.objects.bulk_create(
        Listing(
            kind=ListingKind.OFFER if number % 3 else ListingKind.REQUEST,
            listing_type=types[number % len(types)],
            title=f"Fahrrad Nummer {number}" if number % 2 else f"Tisch {number}",
            description="Gut erhalten, Abholung im Dorf.",
            category=categories[number % len(categories)],
            price_mode=PriceMode.FREE if types[number % len(types)] == ListingType.GIVE_AWAY else PriceMode.FIXED,
            price_cents=None if types[number % len(types)] == ListingType.GIVE_AWAY else 100 * number,
            ortsgemeinde=villages["x"] if number % 2 else None,
            owner=owner,
            expires_at=now + timedelta(days=30),
        )
        for number in range(count)
    )
    ListingPhoto.objects.bulk_create(
        ListingPhoto(listing=listing, image=f"marketplace/foto-{listing.pk}.jpg", alt="Foto", position=1)
        for listing in rows[::2]
    )
    Listing.objects.filter(search_vector__isnull=True).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("description", weight="B", config="german")
    )


def _count(client, path: str) -> int:
    """SQL statements of one request, not counting django-tenants' `SET search_path`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", list(BUDGETS))
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_query_count_is_the_same_for_10_and_1000_listings(town_a, villages, seller, path, who, record_property,
                                                          pages_rendered):
    # given
    client = (logged_in_client(town_a, UserFactory(email="leser@example.org", ortsgemeinde=villages["x"]))
              if who == "resident" else TownClient(host_of(town_a)))
    _listings(10, seller, villages)
    client.get(path)  # warm the caches (town lookup, profile, module switches) as in production
    few = _count(client, path)

    # when
    _listings(990, seller, villages)
    client.get(path)  # the first visitor after a change refills the page cache (core.page_cache)
    many = _count(client, path)

    # then
    record_property("queries", f"{path} {who}: {few} with 10 listings, {many} with 1000")
    print(f"{path} {who}: {few} queries with 10 listings, {many} with 1000")
    assert few == many
    assert many <= BUDGETS[path]
