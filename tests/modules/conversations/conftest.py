"""Fixtures for the Messages tests: residents of the current town and a conversation factory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Role, User
from modules.conversations import services
from modules.conversations.models import Conversation, Message


def user_make(email: str, *, name: str = "", role: str = Role.RESIDENT, new: bool = False) -> User:
    """A person of the current town; an established account (older than the moderation's new-account period)
    unless `new`."""
    user = User.objects.create_user(
        email=email, password="Ein-langes-Passwort-1", name=name or email.split("@")[0].title(), role=role
    )
    if not new:
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=90))
        user.refresh_from_db()
    return user


def conversation_make(sender: User, *recipients: User, text: str = "Hallo!", **kwargs: Any) -> Conversation:
    message = services.conversation_start(
        acting_user=sender, recipient_ids=[r.pk for r in recipients], text=text, **kwargs
    )
    return message.conversation


def messages_bulk(conversation: Conversation, senders: list[User], count: int) -> None:
    """Many messages at once, straight to the table (the services would hit the daily limits)."""
    Message.objects.bulk_create(
        Message(conversation=conversation, sender=senders[number % len(senders)], text=f"Nachricht {number}")
        for number in range(count)
    )


@pytest.fixture
def anna(in_town_a) -> User:
    return user_make("anna@example.org", name="Anna Auer")


@pytest.fixture
def ben(in_town_a) -> User:
    return user_make("ben@example.org", name="Ben Berger")


@pytest.fixture
def carla(in_town_a) -> User:
    return user_make("carla@example.org", name="Carla Claus")


@pytest.fixture
def eager(celery_eager):
    """Tasks sent with .delay() run at once. Through the Celery app itself: once the app has read its
    configuration, a changed CELERY_TASK_ALWAYS_EAGER setting no longer reaches it."""
