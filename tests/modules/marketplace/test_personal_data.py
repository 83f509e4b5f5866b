"""Suche & Biete in a person's export and erasure: listings and searches go, messages to others stay nameless."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core.personal_data import personal_data_erase
from modules.marketplace.models import ContactMessage, ContactThread, Listing, ListingPhoto, SavedSearch
from tests.accounts.factories import OrganisationFactory
from tests.core.personal_data_helpers import flat, person, section, stored_file

pytestmark = pytest.mark.django_db


def _listing(owner, title: str, **fields) -> Listing:
    return Listing.objects.create(owner=owner, kind="offer", listing_type="give_away", title=title,
                                  description=f"{title}, gut erhalten.", expires_at=timezone.now() + timedelta(days=9),
                                  **fields)


@pytest.fixture
def market(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    annas = _listing(anna, "Kinderwagen")
    photo = stored_file("marketplace/kinderwagen.png")
    ListingPhoto.objects.create(listing=annas, image=photo, alt="Der Kinderwagen")
    berts = _listing(bert, "Rasenmäher")
    # Anna asks Bert about his mower; Bert answers.
    asked = ContactThread.objects.create(listing=berts, sender=anna)
    ContactMessage.objects.create(thread=asked, body="Ist der Mäher noch zu haben?")
    answer = ContactMessage.objects.create(thread=asked, body="Ja, gern.", from_owner=True)
    # Bert asks Anna about her pram (goes with her listing).
    ContactMessage.objects.create(thread=ContactThread.objects.create(listing=annas, sender=bert),
                                  body="Wie alt ist der Wagen?")
    SavedSearch.objects.create(user=anna, query="Laufrad")
    SavedSearch.objects.create(user=bert, query="Werkbank")
    for_club = _listing(anna, "Trikots vom TuS", organisation=OrganisationFactory(name="TuS"))
    yield {"anna": anna, "bert": bert, "annas": annas, "berts": berts, "answer": answer, "photo": photo,
           "for_club": for_club}
    default_storage.delete(photo)


def test_export_holds_her_listings_words_and_searches_only(market):
    data = section(market["anna"], "marketplace")

    assert [listing["title"] for listing in data["listings"]] == ["Kinderwagen", "Trikots vom TuS"]
    assert data["files"] == [market["photo"]]
    assert [m["body"] for m in data["messages_written"]] == ["Ist der Mäher noch zu haben?"]
    assert [s["query"] for s in data["saved_searches"]] == ["Laufrad"]
    for others in ("Ja, gern.", "Wie alt", "Werkbank"):
        assert others not in flat(data)


def test_erase_deletes_her_listings_and_searches_and_keeps_her_question_to_bert(
    market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(market["anna"])

    assert not Listing.objects.filter(pk=market["annas"].pk).exists()
    assert not default_storage.exists(market["photo"])
    assert not SavedSearch.objects.filter(user=market["anna"]).exists()
    assert ContactMessage.objects.filter(body="Ist der Mäher noch zu haben?").exists()
    # Bert's reply link to her is used up: nothing more reaches the emptied account.
    market["answer"].refresh_from_db()
    assert market["answer"].reply_used_at is not None
    assert Listing.objects.filter(pk=market["berts"].pk).exists()
    # What she posted for her club is the club's: its other editors keep running it.
    assert Listing.objects.filter(pk=market["for_club"].pk).exists()
    assert SavedSearch.objects.filter(user=market["bert"], query="Werkbank").exists()
