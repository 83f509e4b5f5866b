"""The demo conversation: Maria Weber and Thomas Müller, created once."""

from __future__ import annotations

from demo.data import email_of
from modules.conversations import demo, selectors
from modules.conversations.models import Conversation, Message
from tests.accounts.factories import UserFactory


def test_load_creates_one_conversation_and_is_idempotent(in_town_a):
    maria = UserFactory(email=email_of("maria.weber"), name="Maria Weber")
    thomas = UserFactory(email=email_of("thomas.mueller"), name="Thomas Müller")

    assert demo.load() == 6
    assert demo.load() == 0

    conversation = Conversation.objects.get()
    assert set(conversation.participants.values_list("user_id", flat=True)) == {maria.pk, thomas.pk}
    assert Message.objects.count() == 3
    assert selectors.unread_total(user=thomas) == 1 and selectors.unread_total(user=maria) == 0


def test_load_without_the_demo_people_does_nothing(in_town_a):
    assert demo.load() == 0
    assert not Conversation.objects.exists()
