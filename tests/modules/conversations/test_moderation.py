"""Reporting: every message of someone else has a "Melden" link; moderators see only that message's text,
and a hidden message shows as hidden to everyone but its sender."""

from __future__ import annotations

from django.utils.translation import gettext as _

from modules.moderation.capabilities import moderated_content_kinds
from modules.moderation.facade import report_url
from tests.helpers import logged_in_client
from tests.modules.conversations.factories import ConversationFactory, MessageFactory


def test_each_message_of_the_others_has_a_report_link(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Komischer Text")
    message = conversation.messages.get()
    link = report_url(kind="conversations.message", object_id=message.pk)
    assert link in logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()
    assert link not in logged_in_client(town_a, anna).get(f"/conversations/{conversation.pk}/").content.decode()


def test_moderators_get_the_reported_message_only(anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Erste Nachricht")

    second = MessageFactory(conversation=conversation, sender=ben, text="Die gemeldete")
    kind = moderated_content_kinds()["conversations.message"]

    summary = kind.get(second.pk)

    assert summary.excerpt == "Die gemeldete" and summary.author_id == ben.pk
    assert summary.url == "" and summary.is_hidden is False  # no way into the conversation
    assert kind.get(10**9) is None


def test_a_hidden_message_shows_as_hidden_to_the_others(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Beleidigung")
    message = conversation.messages.get()
    kind = moderated_content_kinds()["conversations.message"]

    kind.set_hidden(message.pk, True)

    page = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Beleidigung" not in page and _("This message was hidden by the moderators.") in page
    poll = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/poll/?after=0").json()
    assert poll["messages"][0]["hidden"] is True and poll["messages"][0]["text"] == ""
    own = logged_in_client(town_a, anna).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Beleidigung" in own and _("The moderators hid this message; only you still see it.") in own
    assert kind.get(message.pk).is_hidden is True

    kind.set_hidden(message.pk, False)
    assert "Beleidigung" in logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()

    kind.delete(message.pk)
    assert kind.get(message.pk) is None


def test_someone_outside_the_conversation_cannot_read_a_message_through_the_report_page(town_a, anna, ben, carla):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Nur für Ben")
    message = conversation.messages.get()
    page = logged_in_client(town_a, carla).get(report_url(kind="conversations.message", object_id=message.pk))
    assert page.status_code == 404 and "Nur für Ben" not in page.content.decode()


def test_only_participants_count_as_able_to_see_a_message(anna, ben, carla):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    message = conversation.messages.get()
    visible_to = moderated_content_kinds()["conversations.message"].visible_to
    assert visible_to(message.pk, ben) and visible_to(message.pk, anna)
    assert not visible_to(message.pk, carla)
