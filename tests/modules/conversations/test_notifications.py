"""Each new message notifies the other participants once: not the sender, not who blocked the sender."""

from __future__ import annotations

from modules.conversations import services
from modules.notifications.models import Notification
from tests.modules.conversations.factories import ConversationFactory


def _notified(message) -> list[int]:
    return sorted(
        Notification.objects.filter(dedupe_key=f"conversations.message:{message.pk}").values_list("user_id", flat=True)
    )


def test_the_others_are_notified_with_a_link_to_the_message(
    anna, ben, carla, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = ConversationFactory(sender=anna, recipients=[ben, carla], text="Treffen um 8?")
    message = conversation.messages.get()

    assert _notified(message) == sorted([ben.pk, carla.pk])
    notification = Notification.objects.filter(user=ben).get()
    assert notification.topic == "messages.new" and notification.event == "conversations.message"
    assert notification.url.endswith(f"/conversations/{conversation.pk}/#message-{message.pk}")
    assert "Anna A." in notification.title
    assert "Treffen um 8?" not in notification.title + notification.body  # private text stays on the platform


def test_a_message_is_notified_once_even_when_notify_runs_twice(anna, ben, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = ConversationFactory(sender=anna, recipients=[ben])
    message = conversation.messages.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_notify(message=message)
        services.message_notify(message=message)
    assert _notified(message) == [ben.pk]
    assert Notification.objects.count() == 1


def test_whoever_blocked_the_sender_is_not_notified(anna, ben, carla, eager, django_capture_on_commit_callbacks):
    group = ConversationFactory(sender=anna, recipients=[ben, carla])
    services.block_create(acting_user=carla, blocked_id=ben.pk)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(conversation=group, acting_user=ben, text="Hallo zusammen")
    assert _notified(message) == [anna.pk]
