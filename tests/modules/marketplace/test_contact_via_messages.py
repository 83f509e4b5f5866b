"""With Messages on, the contact form on a listing opens a conversation with its owner (no e-mail address
anywhere, no relay mail); with Messages off, the e-mail relay works as before."""

from __future__ import annotations

from django.core import mail
from django.utils.translation import gettext as _

from modules.conversations.models import Conversation, Message
from modules.marketplace.models import ContactMessage
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.marketplace.factories import ListingFactory

SELLER = "anbieterin@example.org"
BUYER = "interessent@example.org"


def test_the_contact_form_opens_a_conversation_with_the_owner(town_a, seller, buyer):
    # given
    listing = ListingFactory(owner=seller, title="Kinderwagen")
    client = logged_in_client(town_a, buyer)
    detail = client.get(f"/marketplace/{listing.pk}/").content.decode()
    assert f'action="/marketplace/{listing.pk}/contact/"' in detail

    # when
    response = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "Ist der noch da? Gruß, Karl"})

    # then: the buyer lands in the conversation with the seller, which names the listing
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/conversations/{conversation.pk}/#message-{message.pk}"
    assert message.sender == buyer and message.context_label == "Suche & Biete: Kinderwagen"
    assert set(conversation.participants.values_list("user_id", flat=True)) == {seller.pk, buyer.pk}
    assert not ContactMessage.objects.exists() and not mail.outbox  # no relay mail

    # and the seller reads it there, without the buyer's address
    page = logged_in_client(town_a, seller).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Ist der noch da? Gruß, Karl" in page and "Suche &amp; Biete: Kinderwagen" in page
    assert BUYER not in page and SELLER not in page


def test_a_second_listing_of_the_same_owner_continues_the_same_conversation(town_a, seller, buyer):
    first = ListingFactory(owner=seller, title="Kinderwagen")
    second = ListingFactory(owner=seller, title="Laufrad")
    client = logged_in_client(town_a, buyer)
    client.post(f"/marketplace/{first.pk}/contact/", {"body": "Zum Kinderwagen"})
    client.post(f"/marketplace/{second.pk}/contact/", {"body": "Und das Laufrad?"})
    assert Conversation.objects.count() == 1
    assert list(Message.objects.values_list("context_label", flat=True)) == [
        "Suche & Biete: Kinderwagen", "Suche & Biete: Laufrad"
    ]


def test_refusals_of_messages_show_on_the_contact_form(town_a, seller, buyer):
    from modules.conversations import services as conversation_services

    listing = ListingFactory(owner=seller)
    conversation_services.block_create(acting_user=seller, blocked_id=buyer.pk)
    client = logged_in_client(town_a, buyer)

    blocked = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "Hallo"})
    empty = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "   "})

    assert blocked.status_code == 400
    assert _("%(name)s does not accept messages from you.") % {"name": "Vera V."} in blocked.content.decode()
    assert empty.status_code == 400
    assert not Message.objects.exists() and not mail.outbox


def test_the_owner_cannot_write_to_themselves(town_a, seller):
    listing = ListingFactory(owner=seller)
    response = logged_in_client(town_a, seller).post(f"/marketplace/{listing.pk}/contact/", {"body": "Ich?"})
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_with_messages_off_the_e_mail_relay_works_as_before(town_a, seller, buyer, celery_eager,
                                                             django_capture_on_commit_callbacks):
    from tenants.services import tenant_module_disable, tenant_module_enable

    listing = ListingFactory(owner=seller, title="Kinderwagen")
    tenant_module_disable(tenant=town_a, key="conversations")
    try:
        client = logged_in_client(town_a, buyer)
        detail = client.get(f"/marketplace/{listing.pk}/").content.decode()
        assert "/conversations/" not in detail
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/marketplace/{listing.pk}/contact/", {"body": "Ist der noch da?"})
        assert response.status_code == 302 and response["Location"] == listing.get_absolute_url()
        assert ContactMessage.objects.count() == 1 and not Message.objects.exists()
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [SELLER]
        assert BUYER not in mail.outbox[0].body
    finally:
        tenant_module_enable(tenant=town_a, key="conversations")


def test_an_organisation_listing_reaches_the_person_who_posted_it(town_a, buyer):
    poster = UserFactory(email="vorstand@example.org", name="Vera Vorstand")
    listing = ListingFactory(owner=poster, title="Festzeltgarnitur")
    logged_in_client(town_a, buyer).post(f"/marketplace/{listing.pk}/contact/", {"body": "Leihen möglich?"})
    assert set(Conversation.objects.get().participants.values_list("user_id", flat=True)) == {poster.pk, buyer.pk}
