"""Bad input gets a clear message and stores nothing: empty, too long, markup, yourself, too many people."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modules.conversations import services
from modules.conversations.models import Conversation, Message
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.conversations.factories import ConversationFactory


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_message_is_refused(town_a, anna, ben, text):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    response = logged_in_client(town_a, anna).post(f"/conversations/{conversation.pk}/", {"text": text})
    assert response.status_code == 400
    assert _("Please write a message.") in response.content.decode()
    assert conversation.messages.count() == 1


def test_a_nul_character_is_refused(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    response = logged_in_client(town_a, anna).post(f"/conversations/{conversation.pk}/", {"text": "a\x00b"})
    assert response.status_code == 400
    assert conversation.messages.count() == 1


def test_an_oversized_message_is_refused(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    response = logged_in_client(town_a, anna).post(
        f"/conversations/{conversation.pk}/", {"text": "x" * (services.TEXT_MAX_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert _("The message is too long (at most %(max)d characters).") % {"max": services.TEXT_MAX_LENGTH} in (
        response.content.decode()
    )
    assert conversation.messages.count() == 1


def test_markup_is_shown_as_text_never_run(town_a, anna, ben):
    conversation = ConversationFactory(
        sender=anna,
        recipients=[ben],
        text='<script>alert("x")</script><img src=x onerror=alert(1)>',
    )
    page = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and '<script>alert("x")' not in page


def test_writing_only_to_yourself_is_refused(town_a, anna):
    client = logged_in_client(town_a, anna)
    response = client.post(f"/conversations/new/?to={anna.pk}", {"recipients": [anna.pk], "text": "Hallo ich"})
    assert response.status_code == 400
    with pytest.raises(ValidationError) as error:
        services.conversation_start(acting_user=anna, recipient_ids=[anna.pk], text="Hallo ich")
    assert _("You cannot write to yourself.") in error.value.messages
    assert not Conversation.objects.exists()


def test_more_than_eight_people_are_refused(town_a, anna):
    people = [UserFactory(email=f"person{number}@example.org") for number in range(8)]  # 9 with Anna
    query = "&".join(f"to={p.pk}" for p in people)
    response = logged_in_client(town_a, anna).post(
        f"/conversations/new/?{query}", {"recipients": [p.pk for p in people], "text": "Alle zusammen"}
    )
    assert response.status_code == 400
    assert not Conversation.objects.exists() and not Message.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.conversation_start(acting_user=anna, recipient_ids=[p.pk for p in people], text="Alle")
    assert error.value.message_dict["recipients"] == [
        ngettext(
            "A conversation has at most %(max)d person besides you.",
            "A conversation has at most %(max)d people besides you.",
            7,
        ) % {"max": 7}
    ]
    # eight in all is fine
    ConversationFactory(sender=anna, recipients=people[:7], text="Acht")
    assert Conversation.objects.get().participants.count() == 8


def test_no_recipient_and_a_stranger_id_in_the_form_are_refused(town_a, anna, ben):
    client = logged_in_client(town_a, anna)
    for data in ({"text": "Hallo"}, {"recipients": ["999999"], "text": "Hallo"}, {"recipients": ["x"], "text": "H"}):
        assert client.post("/conversations/new/", data).status_code == 400
    assert not Message.objects.exists()


def test_a_message_the_word_filter_refuses_is_not_stored(town_a, anna, ben, monkeypatch):
    from modules.moderation import facade as moderation

    conversation = ConversationFactory(sender=anna, recipients=[ben])

    def refuse(text):
        raise ValidationError("Dieses Wort ist hier nicht erlaubt: „Mist“.")

    monkeypatch.setattr(moderation, "text_check", refuse)
    response = logged_in_client(town_a, anna).post(f"/conversations/{conversation.pk}/", {"text": "So ein Mist"})
    assert response.status_code == 400
    assert "nicht erlaubt" in response.content.decode()
    assert conversation.messages.count() == 1


def test_new_accounts_hit_the_daily_message_limit(town_a, ben):
    from modules.moderation.conf import DEFAULTS

    newbie = UserFactory(email="neu@example.org", new_account=True)
    conversation = ConversationFactory(sender=newbie, recipients=[ben], text="1")
    for number in range(DEFAULTS["messages_per_day"] - 1):
        services.message_send(conversation=conversation, acting_user=newbie, text=str(number))
    response = logged_in_client(town_a, newbie).post(f"/conversations/{conversation.pk}/", {"text": "Zu viel"})
    assert response.status_code == 400
    assert not conversation.messages.filter(text="Zu viel").exists()
