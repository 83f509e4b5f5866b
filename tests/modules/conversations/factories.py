"""Factories for Messages: conversations started through the services, messages straight in the table."""

from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from modules.conversations import services
from modules.conversations.models import Conversation, Message
from tests.accounts.factories import UserFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    """`sender` writes `text` to `recipients` through the services (one person: their one-to-one conversation,
    which is reused; several: a group conversation)."""

    class Meta:
        model = Conversation

    sender = factory.SubFactory(UserFactory)
    recipients = factory.LazyFunction(lambda: [UserFactory()])
    text = "Hallo!"

    @classmethod
    def _create(cls, model_class: type[Conversation], *, sender: User, recipients: Any, text: str,
                **kwargs: Any) -> Conversation:
        message = services.conversation_start(
            acting_user=sender, recipient_ids=[r.pk for r in recipients], text=text, **kwargs
        )
        return message.conversation


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Nachricht {n}")


def messages_bulk(conversation: Conversation, senders: list[User], count: int) -> None:
    """Many messages in one insert, the senders taking turns (the services would hit the daily limits)."""
    Message.objects.bulk_create(
        MessageFactory.build(conversation=conversation, sender=senders[number % len(senders)],
                             text=f"Nachricht {number}")
        for number in range(count)
    )
