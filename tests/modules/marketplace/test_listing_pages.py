"""The pages of Suche & Biete: list with search and filters, detail, posting with photos, owner actions,
moderation, home widget, sponsored slot; bad input shows clear messages and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from PIL import Image

from billing.promotions import promotions_forget
from modules.marketplace.models import Listing, ListingKind, ListingPhoto, ListingStatus, ListingType
from tests.accounts.factories import UserFactory
from tests.billing.factories import PromotionFactory
from tests.helpers import TownClient, host_of, image_upload, logged_in_client, sql_statements
from tests.modules.marketplace.factories import CategoryFactory, ListingFactory


def _form(**overrides) -> dict:
    data = {
        "kind": "offer", "listing_type": "sell", "title": "Kinderfahrrad", "description": "20 Zoll, blau.",
        "category": CategoryFactory(name="Kinder").pk, "price_mode": "fixed", "price": "45,50",
        "expires_on": (timezone.localdate() + timedelta(days=14)).isoformat(), "photo_alt": "Ein blaues Fahrrad",
    }
    data.update(overrides)
    return data


def test_posting_a_listing_with_photos(town_a, seller, villages, stored_media):
    # when
    response = logged_in_client(town_a, seller).post(
        "/marketplace/new/",
        _form(ortsgemeinde=villages["x"].pk, photos=[image_upload("Vera privat.jpg", exif=True),
                                                     image_upload("b.png", fmt="PNG")]),
    )

    # then
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/marketplace/{listing.pk}/"
    assert (listing.price_cents, listing.owner, listing.ortsgemeinde) == (4550, seller, villages["x"])
    assert timezone.localtime(listing.expires_at).date() == timezone.localdate() + timedelta(days=14)
    photos = list(listing.photos.all())
    stored_media.extend(photo.image.path for photo in photos)
    assert len(photos) == 2 and photos[0].alt.startswith("Ein blaues Fahrrad")
    path = Path(photos[0].image.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / town_a.schema_name / "marketplace")
    assert "Vera" not in path.name
    with Image.open(path) as stored:
        assert not stored.getexif()
    assert b"GeheimeKamera" not in path.read_bytes()
    page = TownClient(host_of(town_a)).get(f"/marketplace/{listing.pk}/").content.decode()
    assert "45,50\u00a0€" in page and photos[0].image.url in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"price": "-5"}, "price"),
        ({"price": "zwölf Euro"}, "price"),
        ({"price_mode": "fixed", "price": ""}, "price"),
        ({"expires_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "expires_on"),
        ({"expires_on": (timezone.localdate() + timedelta(days=91)).isoformat()}, "expires_on"),
        ({"photos": [SimpleUploadedFile("bild.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")]},
         "photos"),
        ({"photos": [image_upload(f"{n}.jpg") for n in range(5)]}, "photos"),
    ],
)
def test_bad_input_shows_a_clear_message_and_stores_nothing(town_a, seller, overrides, field, stored_media):
    response = logged_in_client(town_a, seller).post("/marketplace/new/", _form(**overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Listing.objects.exists() and not ListingPhoto.objects.exists()


def test_html_is_shown_as_text_never_as_markup(town_a, seller):
    listing = ListingFactory(
        owner=seller,
        title="<img src=x onerror=alert(1)>",
        description="<script>alert('x')</script>",
    )
    page = TownClient(host_of(town_a)).get(f"/marketplace/{listing.pk}/").content.decode()
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    listing_page = TownClient(host_of(town_a)).get("/marketplace/").content.decode()
    assert "<img src=x" not in listing_page


def test_list_filters_and_german_search(town_a, seller, villages):
    # given
    bike = ListingFactory(
        owner=seller,
        title="Fahrräder für Kinder",
        ortsgemeinde=villages["x"],
        category=CategoryFactory(name="Kinder"),
    )
    free = ListingFactory(
        owner=seller,
        listing_type=ListingType.GIVE_AWAY,
        title="Kartons",
        ortsgemeinde=villages["y"],
        category=CategoryFactory(name="Haushalt"),
    )
    wanted = ListingFactory(
        owner=seller,
        kind=ListingKind.REQUEST,
        listing_type=ListingType.HELP,
        title="Hilfe beim Umzug",
        price_mode="none",
        price_cents=None,
    )
    client = TownClient(host_of(town_a))

    def titles(query: str) -> set[str]:
        response = client.get(f"/marketplace/?{query}")
        assert response.status_code == 200
        return {listing.title for listing in response.context["listings"]}

    # then
    assert titles("") == {bike.title, free.title, wanted.title}
    assert titles("q=Fahrrad") == {bike.title}  # German stemming
    assert titles("kind=request") == {wanted.title}
    assert titles("listing_type=give_away") == {free.title}
    assert titles("free=on") == {free.title}
    assert titles("category=kinder") == {bike.title}
    assert titles("ortsgemeinde=xanten-au") == {bike.title, wanted.title}  # plus town-wide listings
    assert titles("kind=bogus&category=nope") == {bike.title, free.title, wanted.title}  # bad values are ignored


def test_list_is_paginated(town_a, seller):
    for number in range(23):
        ListingFactory(owner=seller, title=f"Ding {number}")
    client = TownClient(host_of(town_a))
    assert len(client.get("/marketplace/").context["listings"]) == 20
    assert len(client.get("/marketplace/?page=2").context["listings"]) == 3


def test_done_expired_and_removed_listings_are_404_for_others_but_visible_to_the_owner(town_a, seller, buyer):
    done = ListingFactory(owner=seller, title="Verkauft")
    Listing.objects.filter(pk=done.pk).update(status=ListingStatus.DONE)
    expired = ListingFactory(owner=seller, title="Abgelaufen")
    Listing.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    for listing in (done, expired):
        assert logged_in_client(town_a, buyer).get(f"/marketplace/{listing.pk}/").status_code == 404
        assert logged_in_client(town_a, seller).get(f"/marketplace/{listing.pk}/").status_code == 200


def test_owner_marks_done_and_others_get_403(town_a, seller, buyer):
    listing = ListingFactory(owner=seller)
    assert logged_in_client(town_a, buyer).post(f"/marketplace/{listing.pk}/status/",
                                                {"status": "done"}).status_code == 403
    assert logged_in_client(town_a, buyer).get(f"/marketplace/{listing.pk}/edit/").status_code == 403
    response = logged_in_client(town_a, seller).post(f"/marketplace/{listing.pk}/status/", {"status": "done"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DONE


def test_owner_edits_through_the_form(town_a, seller):
    listing = ListingFactory(owner=seller)
    client = logged_in_client(town_a, seller)
    assert client.get(f"/marketplace/{listing.pk}/edit/").status_code == 200
    response = client.post(f"/marketplace/{listing.pk}/edit/", _form(title="Rasenmäher (neu)", price="19",
                                                                      listing_type="sell"))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.price_cents) == ("Rasenmäher (neu)", 1900)
    bad = client.post(f"/marketplace/{listing.pk}/edit/", _form(title="", price="-1"))
    assert bad.status_code == 400
    listing.refresh_from_db()
    assert listing.title == "Rasenmäher (neu)"


def test_owner_deletes_and_renews(town_a, seller):
    listing = ListingFactory(owner=seller)
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.EXPIRED)
    client = logged_in_client(town_a, seller)
    assert client.get(f"/marketplace/{listing.pk}/renew/").status_code == 200
    assert client.post(f"/marketplace/{listing.pk}/renew/").status_code == 302
    listing.refresh_from_db()
    assert listing.is_public
    assert client.post(f"/marketplace/{listing.pk}/delete/").status_code == 302
    assert not Listing.objects.exists()


def test_moderator_removes_a_listing_with_a_reason(town_a, seller):
    listing = ListingFactory(owner=seller)
    moderator = UserFactory(email="moderation@example.org", role="moderator")
    assert logged_in_client(town_a, seller).post(f"/marketplace/{listing.pk}/remove/",
                                                 {"reason": "x"}).status_code == 403
    client = logged_in_client(town_a, moderator)
    assert client.post(f"/marketplace/{listing.pk}/remove/", {"reason": ""}).status_code == 400
    assert client.post(f"/marketplace/{listing.pk}/remove/", {"reason": "Kein privates Angebot"}).status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REMOVED and listing.removed_reason == "Kein privates Angebot"
    assert TownClient(host_of(town_a)).get(f"/marketplace/{listing.pk}/").status_code == 404


def test_posting_needs_a_login(town_a):
    response = TownClient(host_of(town_a)).get("/marketplace/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_widget_shows_the_residents_village_and_the_town(town_a, seller, villages):
    # given
    resident = UserFactory(email="dorf@example.org", ortsgemeinde=villages["x"])
    ListingFactory(owner=seller, title="Eier vom Hof", ortsgemeinde=villages["x"])
    ListingFactory(owner=seller, title="Brennholz", ortsgemeinde=villages["y"])

    # when
    page = logged_in_client(town_a, resident).get("/").content.decode()

    # then
    assert "Eier vom Hof" in page and "Brennholz" in page
    assert _("New in %(place)s").replace("%(place)s", "Xanten-Au") in page or "Xanten-Au" in page


def test_the_sponsored_slot_is_labelled_and_empty_without_a_sale(town_a, seller):

    client = TownClient(host_of(town_a))
    assert "marketplace-promotion" not in client.get("/marketplace/").content.decode()
    with schema_context("public"):
        PromotionFactory(
            tenant=town_a, slot_key="marketplace.top", sponsor_organisation_id=1, sponsor_name="Hofladen Müller",
            text="Frische Eier jeden Samstag",
        )
        # billing's services say so when an entry starts; the factory writes the row directly
        promotions_forget(tenant=town_a, slot_key="marketplace.top", target_id=None)
    connection.set_schema_to_public()
    page = client.get("/marketplace/").content.decode()
    assert "Hofladen Müller" in page and _("Sponsored") in page


def test_category_management_for_town_admins(town_a, admin_client_a, seller):
    assert logged_in_client(town_a, seller).get("/marketplace/manage/categories/").status_code == 403
    assert admin_client_a.post("/marketplace/manage/categories/", {"name": "Fahrzeuge"}).status_code == 302
    assert admin_client_a.post("/marketplace/manage/categories/", {"name": "fahrzeuge"}).status_code == 200
    with schema_context(town_a.schema_name):
        from modules.marketplace.models import Category

        assert Category.objects.filter(name="Fahrzeuge").count() == 1
        assert Category.objects.count() == 11  # the ten seeded ones plus this


def _statements(queries) -> int:
    return len(sql_statements(queries))


def test_home_selection_is_the_newest_per_village_and_elsewhere_in_one_query(seller, villages):
    from django.test.utils import CaptureQueriesContext

    from modules.marketplace.selectors import listing_list_home

    here = [ListingFactory(owner=seller, title=f"Hier {n}", ortsgemeinde=villages["x"]) for n in range(6)]
    there = [ListingFactory(owner=seller, title=f"Dort {n}", ortsgemeinde=villages["y"]) for n in range(3)]
    anywhere = ListingFactory(owner=seller, title="Überall")
    with CaptureQueriesContext(connection) as queries:
        nearby, elsewhere = listing_list_home(ortsgemeinde_id=villages["x"].pk, limit=4)
    assert _statements(queries) == 1
    assert [listing.pk for listing in nearby] == [listing.pk for listing in reversed(here)][:4]
    assert [listing.pk for listing in elsewhere] == [anywhere.pk] + [listing.pk for listing in reversed(there)]
    with CaptureQueriesContext(connection) as queries:
        nearby, newest = listing_list_home(ortsgemeinde_id=None, limit=4)
    assert _statements(queries) == 1
    assert nearby == [] and [listing.pk for listing in newest] == [anywhere.pk] + [x.pk for x in reversed(there)]


def test_an_oversized_photo_is_refused_with_its_limit(town_a, seller, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 300  # a tiny limit, so a small real photo is over it
    big = image_upload("gross.jpg", size=(200, 200))
    assert big.size > 300
    response = logged_in_client(town_a, seller).post("/marketplace/new/", _form(photos=[big]))
    assert response.status_code == 400
    assert "gross.jpg" in " ".join(response.context["form"].errors["photos"])
    assert not Listing.objects.exists() and not ListingPhoto.objects.exists()
