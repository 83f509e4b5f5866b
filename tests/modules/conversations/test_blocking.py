"""Blocking: the blocked person can't write to the blocker one-to-one, the blocker stops getting their
messages and notifications, and the block can be lifted from the settings page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from modules.conversations import selectors, services
from modules.conversations.models import Block, Message
from tests.helpers import logged_in_client
from tests.modules.conversations.factories import ConversationFactory


def test_the_blocked_person_can_neither_write_nor_start_a_conversation_with_the_blocker(town_a, anna, ben):
    conversation = ConversationFactory(sender=ben, recipients=[anna], text="Hallo Anna")
    anna_client = logged_in_client(town_a, anna)

    # when: Anna blocks Ben from the conversation page
    back = f"/conversations/{conversation.pk}/"
    response = anna_client.post("/conversations/blocked/", {"user": ben.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == f"/conversations/{conversation.pk}/"
    assert Block.objects.filter(blocker=anna, blocked=ben).exists()

    # then: Ben's page says so instead of offering the form, and a message sent anyway is refused
    ben_client = logged_in_client(town_a, ben)
    page = ben_client.get(f"/conversations/{conversation.pk}/").content.decode()
    refusal = _("%(name)s does not accept messages from you.") % {"name": "Anna A."}
    assert refusal in page and 'name="text"' not in page
    refused = ben_client.post(f"/conversations/{conversation.pk}/", {"text": "Noch was"})
    assert refused.status_code == 400
    assert _("%(name)s does not accept messages from you.") % {"name": "Anna A."} in refused.content.decode()
    with pytest.raises(PermissionDenied):
        services.conversation_start(acting_user=ben, recipient_ids=[anna.pk], text="Neu anfangen")
    # nor may he put her into a new group
    with pytest.raises(PermissionDenied):
        services.conversation_start(acting_user=ben, recipient_ids=[anna.pk, _third(town_a).pk], text="Gruppe")
    assert Message.objects.count() == 1


def _third(town):
    from tests.accounts.factories import UserFactory

    return UserFactory(email="dritte@example.org")


def test_the_blocker_no_longer_sees_or_hears_the_blocked_persons_group_messages(
    town_a, anna, ben, carla, eager, django_capture_on_commit_callbacks
):
    from modules.notifications.models import Notification

    group = ConversationFactory(sender=carla, recipients=[anna, ben], text="Wer kommt mit?")
    services.block_create(acting_user=anna, blocked_id=ben.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=group, acting_user=ben, text="Ich komme!")

    assert selectors.unread_total(user=anna) == 1  # Carla's message only
    page = logged_in_client(town_a, anna).get(f"/conversations/{group.pk}/").content.decode()
    assert "Wer kommt mit?" in page and "Ich komme!" not in page
    poll = logged_in_client(town_a, anna).get(f"/conversations/{group.pk}/poll/?after=0").json()
    assert "Ich komme!" not in [m["text"] for m in poll["messages"]]
    ben_message = Message.objects.get(text="Ich komme!")
    notified = set(Notification.objects.filter(dedupe_key=f"conversations.message:{ben_message.pk}")
                   .values_list("user_id", flat=True))
    assert notified == {carla.pk}


def test_unblocking_from_the_list_page_lets_the_person_write_again(town_a, anna, ben):
    conversation = ConversationFactory(sender=ben, recipients=[anna])
    services.block_create(acting_user=anna, blocked_id=ben.pk)
    client = logged_in_client(town_a, anna)

    page = client.get("/conversations/blocked/").content.decode()
    assert "Ben B." in page and "ben@example.org" not in page

    response = client.post("/conversations/blocked/remove/", {"user": ben.pk})
    assert response.status_code == 302 and response["Location"] == "/conversations/blocked/"
    assert not Block.objects.exists()
    services.message_send(conversation=conversation, acting_user=ben, text="Wieder da")
    assert Message.objects.filter(text="Wieder da").exists()


def test_the_blocker_cannot_write_either_until_unblocking(anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    services.block_create(acting_user=anna, blocked_id=ben.pk)
    with pytest.raises(PermissionDenied) as error:
        services.message_send(conversation=conversation, acting_user=anna, text="Hallo")
    assert str(error.value) == _("You have blocked %(name)s. Unblock them to write again.") % {"name": "Ben B."}


def test_blocking_yourself_or_nobody_is_refused(town_a, anna):
    client = logged_in_client(town_a, anna)
    for value in (anna.pk, 999999, "abc"):
        client.post("/conversations/blocked/", {"user": value})
    assert not Block.objects.exists()
