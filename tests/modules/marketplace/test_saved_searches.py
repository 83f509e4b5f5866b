"""Saved searches: one mail per matching listing (idempotent, also through a real Celery worker),
one-click unsubscribe that works only in its own town (T4)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from modules.marketplace import services
from modules.marketplace.models import ListingKind, ListingType, PriceMode, SavedSearch, SavedSearchHit
from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.marketplace.factories import CategoryFactory, ListingFactory

_UNSUBSCRIBE = re.compile(r"https?://[^\s]+(/marketplace/unsubscribe/[A-Za-z0-9_-]+/)")


@pytest.fixture
def eager(celery_eager, notifications_off):
    """Tasks run where they are queued; the town has no notifications module, so they mail."""


def test_a_matching_listing_is_mailed_once_per_saved_search(seller, buyer, eager, django_capture_on_commit_callbacks):
    # given
    services.saved_search_create(acting_user=buyer, query="Kinderwagen", kind=ListingKind.OFFER)

    # when: a matching listing (German stemming: "Kinderwagens" finds "Kinderwagen") and one that doesn't match
    with django_capture_on_commit_callbacks(execute=True):
        match = ListingFactory(owner=seller, title="Gut erhaltener Kinderwagen", description="Abholung in Xanten")
        ListingFactory(owner=seller, title="Rasenmäher", description="Benzin")
        ListingFactory(owner=seller, kind=ListingKind.REQUEST, title="Suche Kinderwagen", description="Bitte melden")

    # then
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["interessent@example.org"]
    assert f"/marketplace/{match.pk}/" in mail.outbox[0].body
    assert "anbieterin@example.org" not in mail.outbox[0].body

    # and running the notification again sends nothing new
    with django_capture_on_commit_callbacks(execute=True):
        assert services.saved_searches_notify(listing_id=match.pk) == 0
    assert len(mail.outbox) == 1 and SavedSearchHit.objects.count() == 1


def test_filters_of_a_saved_search_are_respected(seller, buyer, villages):
    garden = CategoryFactory(name="Garten")
    services.saved_search_create(acting_user=buyer, category=garden, ortsgemeinde=villages["x"], free_only=True)
    free_here = ListingFactory(
        owner=seller,
        listing_type=ListingType.GIVE_AWAY,
        category=garden,
        ortsgemeinde=villages["x"],
        title="Blumentöpfe",
    )
    priced = ListingFactory(owner=seller, category=garden, ortsgemeinde=villages["x"], title="Gartenbank")
    elsewhere = ListingFactory(
        owner=seller,
        listing_type=ListingType.GIVE_AWAY,
        category=garden,
        ortsgemeinde=villages["y"],
        title="Rankgitter",
    )
    other_category = ListingFactory(
        owner=seller,
        listing_type=ListingType.GIVE_AWAY,
        category=CategoryFactory(
        name="Kinder",
    ),
        ortsgemeinde=villages["x"],
        title="Puppe",
    )
    town_wide = ListingFactory(owner=seller, listing_type=ListingType.GIVE_AWAY, category=garden, title="Gießkanne")
    matching = {listing.pk for listing in (free_here, priced, elsewhere, other_category, town_wide)
                if services.saved_searches_matching(listing).exists()}
    assert matching == {free_here.pk, town_wide.pk}


def test_own_listings_do_not_notify_their_author(seller, eager, django_capture_on_commit_callbacks):
    services.saved_search_create(acting_user=seller, query="Rasenmäher")
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller)
    assert not mail.outbox


def test_saving_a_search_from_the_list_page(town_a, buyer, villages):
    client = logged_in_client(town_a, buyer)
    response = client.post("/marketplace/searches/new/", {"q": "Fahrrad", "kind": "offer", "ortsgemeinde": "ypsdorf",
                                                         "free": "on", "listing_type": "nonsense"})
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=buyer)
    assert (search.query, search.kind, search.ortsgemeinde, search.free_only, search.listing_type) == (
        "Fahrrad", "offer", villages["y"], True, ""
    )
    assert "Fahrrad" in client.get("/marketplace/mine/").content.decode()


def test_someone_elses_saved_search_cannot_be_deleted(town_a, seller, buyer):
    search = services.saved_search_create(acting_user=buyer, query="Sofa")
    assert logged_in_client(town_a, seller).post(f"/marketplace/searches/{search.pk}/delete/").status_code == 404
    assert logged_in_client(town_a, buyer).post(f"/marketplace/searches/{search.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_unsubscribe_link_from_the_mail_works_in_one_click(
    town_a, seller, buyer, eager, django_capture_on_commit_callbacks
):
    # given
    services.saved_search_create(acting_user=buyer, query="Sofa")
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller, title="Sofa, drei Sitze", description="Braun")
    path = _UNSUBSCRIBE.search(mail.outbox[0].body).group(1)
    # a bulk mail: mail programs offer their own one-click button (RFC 8058)
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<http://{host_of(town_a)}{path}>"
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # not signed in, and like a mail program without a CSRF token: the link itself is the proof
    client = TownClient(host_of(town_a), enforce_csrf_checks=True)

    # then: opening the link changes nothing (mail scanners open links), the one button does
    assert client.get(path).status_code == 200 and SavedSearch.objects.exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not SavedSearch.objects.exists()
    assert client.post(path).status_code == 404


def test_t4_unsubscribe_token_of_town_a_is_rejected_on_town_b(town_a, town_b):
    # given: a saved search in A; in B one with a colliding pk and the very same token string
    with schema_context(town_a.schema_name):
        connection.set_tenant(town_a)
        search_a = services.saved_search_create(acting_user=UserFactory(email="nachbar@example.org"), query="Leiter")
    connection.set_schema_to_public()
    client_b = TownClient(host_of(town_b))

    # then: A's token means nothing on B's host
    assert client_b.get(f"/marketplace/unsubscribe/{search_a.unsubscribe_token}/").status_code == 404
    assert client_b.post(f"/marketplace/unsubscribe/{search_a.unsubscribe_token}/").status_code == 404

    # and with B holding the same token string, unsubscribing on B deletes B's row, never A's
    with schema_context(town_b.schema_name):
        connection.set_tenant(town_b)
        search_b = services.saved_search_create(acting_user=UserFactory(
            email="nachbar@example.org",
        ), query="Schubkarre")
        SavedSearch.objects.filter(pk=search_b.pk).update(unsubscribe_token=search_a.unsubscribe_token)
    connection.set_schema_to_public()
    assert client_b.post(f"/marketplace/unsubscribe/{search_a.unsubscribe_token}/").status_code == 200
    with schema_context(town_b.schema_name):
        assert not SavedSearch.objects.filter(pk=search_b.pk).exists()
    with schema_context(town_a.schema_name):
        assert SavedSearch.objects.filter(pk=search_a.pk, query="Leiter").exists()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_notification_runs_through_a_real_worker_once(celery_worker, town_a, notifications_off):
    emails = ("suchende-worker@example.org", "anbieter-worker@example.org")
    try:
        # given: committed rows in town A, a saved search, and a new matching listing
        with schema_context(town_a.schema_name):
            connection.set_tenant(town_a)
            searcher, owner = UserFactory(email=emails[0]), UserFactory(email=emails[1])
            services.saved_search_create(acting_user=searcher, query="Werkbank")
            # when: publishing commits, on_commit enqueues the task; the worker runs it in A's schema
            listing = services.listing_create(
                acting_user=owner, kind=ListingKind.OFFER, listing_type=ListingType.GIVE_AWAY, title="Alte Werkbank",
                description="Massivholz, muss abgeholt werden.", price_mode=PriceMode.FREE,
            )
        connection.set_schema_to_public()

        # then: exactly one mail, to the searcher, linking to A's domain
        wait_for(lambda: len(mail.outbox) >= 1, timeout=60)
        assert [message.to for message in mail.outbox] == [[emails[0]]]
        assert f"http://{host_of(town_a)}" in mail.outbox[0].body and emails[1] not in mail.outbox[0].body

        # and a second run of the task sends nothing: the worker (one thread, in order) runs it before the
        # notification of a second listing published afterwards, whose mail therefore marks its end
        from modules.marketplace.tasks import notify_saved_searches

        with schema_context(town_a.schema_name):
            connection.set_tenant(town_a)
            notify_saved_searches.delay(listing.pk)
            later = services.listing_create(
                acting_user=owner, kind=ListingKind.OFFER, listing_type=ListingType.GIVE_AWAY,
                title="Zweite Werkbank", description="Auch abzugeben.", price_mode=PriceMode.FREE,
            )
        connection.set_schema_to_public()
        wait_for(lambda: len(mail.outbox) >= 2, timeout=60)
        assert [message.to for message in mail.outbox] == [[emails[0]], [emails[0]]]
        assert f"/marketplace/{later.pk}/" in mail.outbox[1].body
        with schema_context(town_a.schema_name):
            assert SavedSearchHit.objects.filter(listing_id=listing.pk).count() == 1
    finally:
        with schema_context(town_a.schema_name):
            User.objects.filter(email__in=emails).delete()  # cascades to listings, searches and hits
        connection.set_schema_to_public()
