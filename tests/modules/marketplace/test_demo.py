"""The demo town's Suche & Biete: listings of every type by residents of several villages, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from demo import data
from modules.marketplace import demo
from modules.marketplace.models import Listing, ListingKind, ListingStatus, ListingType
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of
from tests.town.factories import ResidentProfileFactory
from town.models import Ortsgemeinde


@pytest.fixture
def demo_people(in_town_a) -> dict[str, User]:
    """The demo's Ortsgemeinden and people in town A, as the demo loader makes them before the modules' demos."""
    villages = {
        slug: Ortsgemeinde.objects.get_or_create(slug=slug, defaults={"name": name, "postal_codes": codes})[0]
        for name, slug, codes in data.ORTSGEMEINDEN
    }
    people = {}
    for local, (name, role, village, _organisations) in data.PEOPLE.items():
        people[local] = UserFactory(email=data.email_of(local), password=data.PASSWORD, name=name, role=role)
        ResidentProfileFactory(user=people[local], ortsgemeinde=villages[village])
    return people


def test_demo_listings_are_loaded_once(demo_people):
    first = demo.load()
    second = demo.load()

    assert first == Listing.objects.count() == len(demo.LISTINGS) and second == 0
    listings = Listing.objects.select_related("ortsgemeinde", "owner__resident_profile")
    assert {listing.listing_type for listing in listings} == set(ListingType.values)
    assert {listing.kind for listing in listings} == set(ListingKind.values)
    assert all(listing.status == ListingStatus.ACTIVE and listing.expires_at > timezone.now() for listing in listings)
    # each in its owner's village, and several villages in all
    assert all(listing.ortsgemeinde == listing.owner.resident_profile.ortsgemeinde for listing in listings)
    assert len({listing.ortsgemeinde_id for listing in listings}) >= 4
    bike = Listing.objects.get(title="Kinderfahrrad 20 Zoll, blau")
    assert bike.price_cents == 4500 and bike.price_mode == "fixed"
    assert Listing.objects.get(listing_type=ListingType.GIVE_AWAY).price_cents is None
    # posted over the last days, newest first
    assert Listing.objects.values("created_at").distinct().count() == len(demo.LISTINGS)


def test_without_the_demo_people_nothing_is_made(in_town_a):
    assert demo.load() == 0
    assert not Listing.objects.exists()


def test_the_listings_page_shows_the_demo(demo_people, town_a):
    demo.load()
    pram = Listing.objects.get(listing_type=ListingType.GIVE_AWAY)
    client = TownClient(host_of(town_a))

    page = client.get("/marketplace/").content.decode()
    detail = client.get(f"/marketplace/{pram.pk}/").content.decode()

    for _owner, _kind, _type, _category, title, *_rest in demo.LISTINGS:
        assert title in page
    assert "45,00" in page  # the bike's price, in euros
    assert "Kombi-Kinderwagen zu verschenken" in detail and "Gebhardshain" in detail


def test_the_demo_stays_in_its_town(demo_people, town_a, town_b, client_b):
    demo.load()
    pram = Listing.objects.get(listing_type=ListingType.GIVE_AWAY)

    page = client_b.get("/marketplace/").content.decode()

    assert "Kombi-Kinderwagen" not in page
    assert client_b.get(f"/marketplace/{pram.pk}/").status_code == 404
    with schema_context(town_b.schema_name):
        assert not Listing.objects.exists()


def test_loading_tells_nobody(demo_people, celery_eager, django_capture_on_commit_callbacks, mailoutbox):
    from modules.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        created = demo.load()

    assert created == len(demo.LISTINGS)
    assert not Notification.objects.exists() and mailoutbox == []
