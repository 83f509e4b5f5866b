"""Contact through the platform: neither side ever sees the other's e-mail address (To/Reply-To/body),
reply links work once and only in their own town (T4), and contact messages are rate-limited per hour."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from modules.marketplace import services
from modules.marketplace.models import ContactMessage, ListingStatus
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.marketplace.factories import ListingFactory

SELLER = "anbieterin@example.org"
BUYER = "interessent@example.org"
_REPLY_LINK = re.compile(r"https?://[^\s]+/marketplace/reply/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _relay_by_mail(monkeypatch):
    """These tests are about the e-mail relay, the path taken while a town has no Messages module."""
    from modules.marketplace import views

    monkeypatch.setattr(views, "messages_module_available", lambda: False)


@pytest.fixture
def eager(celery_eager):
    """Tasks run where they are queued."""


def _assert_hides(message, *addresses: str) -> None:
    headers = " ".join([*message.to, *message.cc, *message.bcc, *message.reply_to, message.from_email])
    texts = [message.body] + [content for content, _mime in getattr(message, "alternatives", [])]
    for address in addresses:
        assert address not in headers
        assert all(address not in text for text in texts)


def test_contact_is_relayed_and_the_answer_too_without_any_address(
    town_a, seller, buyer, eager, django_capture_on_commit_callbacks
):
    # given
    listing = ListingFactory(owner=seller, title="Kinderwagen")
    client = logged_in_client(town_a, buyer)

    # when: the buyer writes through the form on the listing page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "Ist der noch da? Gruß, Karl"})

    # then: the seller gets it, and it shows nobody's address but their own in To
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    to_seller = mail.outbox[0]
    assert to_seller.to == [SELLER] and to_seller.reply_to == []
    assert "Ist der noch da? Gruß, Karl" in to_seller.body
    _assert_hides(to_seller, BUYER)
    assert "Karl K." in to_seller.body  # first name and initial, never the address

    # when: the seller answers through the one-time link
    token = _REPLY_LINK.search(to_seller.body).group(1)
    answer_page = TownClient(host_of(town_a))
    assert answer_page.get(f"/marketplace/reply/{token}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = answer_page.post(f"/marketplace/reply/{token}/", {"body": "Ja, komm vorbei: Lindenweg 3."})

    # then: the buyer gets the answer, again without the seller's address, with a new link of their own
    assert response.status_code == 200
    assert len(mail.outbox) == 2
    to_buyer = mail.outbox[1]
    assert to_buyer.to == [BUYER] and to_buyer.reply_to == []
    assert "Lindenweg 3" in to_buyer.body
    _assert_hides(to_buyer, SELLER)
    second_token = _REPLY_LINK.search(to_buyer.body).group(1)
    assert second_token != token

    # and the first link is used up
    with django_capture_on_commit_callbacks(execute=True):
        again = answer_page.post(f"/marketplace/reply/{token}/", {"body": "Noch was"})
    assert again.status_code == 200 and len(mail.outbox) == 2
    assert ContactMessage.objects.count() == 2


def test_the_listing_page_never_shows_the_owners_address(town_a, seller, buyer):
    listing = ListingFactory(owner=seller)
    page = logged_in_client(town_a, buyer).get(f"/marketplace/{listing.pk}/").content.decode()
    assert SELLER not in page and "Vera V." in page


def test_contact_messages_are_limited_per_hour(seller, buyer, eager):
    # given
    listing = ListingFactory(owner=seller)
    for number in range(services.CONTACT_LIMIT_PER_HOUR):
        services.contact_send(listing=listing, sender=buyer, body=f"Nachricht {number}")

    # when / then
    with pytest.raises(ValidationError) as error:
        services.contact_send(listing=listing, sender=buyer, body="Eine zu viel")
    assert error.value.error_dict["body"][0].code == "rate_limited"
    assert ContactMessage.objects.count() == services.CONTACT_LIMIT_PER_HOUR
    # another person is not affected
    other = UserFactory(email="andere@example.org")
    services.contact_send(listing=listing, sender=other, body="Ich auch")


def test_rate_limit_page_explains_and_stores_nothing(town_a, seller, buyer, eager):
    listing = ListingFactory(owner=seller)
    client = logged_in_client(town_a, buyer)
    for number in range(services.CONTACT_LIMIT_PER_HOUR):
        assert client.post(f"/marketplace/{listing.pk}/contact/", {"body": f"Hallo {number}"}).status_code == 302
    response = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "Noch einmal"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert ContactMessage.objects.count() == services.CONTACT_LIMIT_PER_HOUR


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_empty_or_oversized_messages_are_refused(town_a, seller, buyer, body):
    listing = ListingFactory(owner=seller)
    response = logged_in_client(town_a, buyer).post(f"/marketplace/{listing.pk}/contact/", {"body": body})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_html_in_a_message_arrives_as_plain_text(seller, buyer, eager, django_capture_on_commit_callbacks):
    listing = ListingFactory(owner=seller)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_send(listing=listing, sender=buyer, body='<a href="http://evil.example">Klick</a>')
    assert ContactMessage.objects.get().body == '<a href="http://evil.example">Klick</a>'
    assert not mail.outbox[0].alternatives  # text only: nothing a mail client would render as a link


def test_who_may_contact(seller, buyer):
    listing = ListingFactory(owner=seller)
    with pytest.raises(ValidationError):
        services.contact_send(listing=listing, sender=seller, body="An mich selbst")
    unconfirmed = UserFactory(email="neu@example.org", verified=False)
    with pytest.raises(PermissionDenied):
        services.contact_send(listing=listing, sender=unconfirmed, body="Hallo")
    services.listing_set_status(listing=listing, acting_user=seller, status=ListingStatus.DONE)
    with pytest.raises(ValidationError):
        services.contact_send(listing=listing, sender=buyer, body="Zu spät")
    assert not ContactMessage.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(town_a, seller):
    listing = ListingFactory(owner=seller)
    response = TownClient(host_of(town_a)).post(f"/marketplace/{listing.pk}/contact/", {"body": "Hallo"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_t4_reply_link_of_town_a_is_404_on_town_b(town_a, town_b, eager):
    # given: a message in A, and a message in B carrying the very same token string
    with schema_context(town_a.schema_name):
        connection.set_tenant(town_a)
        seller_a, buyer_a = UserFactory(email=SELLER), UserFactory(email=BUYER)
        message_a = services.contact_send(listing=ListingFactory(owner=seller_a), sender=buyer_a, body="Hallo A")
        token = message_a.reply_token
    connection.set_schema_to_public()
    client_b = TownClient(host_of(town_b))

    # then: the token means nothing on B's host
    assert client_b.get(f"/marketplace/reply/{token}/").status_code == 404
    assert client_b.post(f"/marketplace/reply/{token}/", {"body": "Von B"}).status_code == 404

    # and when B holds a row with the same token string, B's link reaches B's row, never A's
    with schema_context(town_b.schema_name):
        connection.set_tenant(town_b)
        seller_b, buyer_b = UserFactory(email=SELLER, name="Berta Bergdorf"), UserFactory(email=BUYER, name="Bruno B")
        message_b = services.contact_send(
            listing=ListingFactory(owner=seller_b), sender=buyer_b, body="Hallo B",
        )
        ContactMessage.objects.filter(pk=message_b.pk).update(reply_token=token)
    connection.set_schema_to_public()
    page = client_b.get(f"/marketplace/reply/{token}/").content.decode()
    assert "Hallo B" in page and "Hallo A" not in page
    with schema_context(town_a.schema_name):
        assert ContactMessage.objects.get(pk=message_a.pk).reply_used_at is None

