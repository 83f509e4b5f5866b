"""Messages in a person's export and erasure: the others keep their conversation, without her name."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.personal_data import personal_data_erase
from modules.conversations.models import Block, Conversation, Message, Participant
from tests.core.personal_data_helpers import flat, person, section

pytestmark = pytest.mark.django_db


def _conversation(*people, created_by) -> Conversation:
    conversation = Conversation.objects.create(created_by=created_by, last_message_at=timezone.now())
    Participant.objects.bulk_create(Participant(conversation=conversation, user=p) for p in people)
    return conversation


@pytest.fixture
def chats(in_town_a):
    anna, bert, carl = (person(f"{n}@example.org", f"{n.title()} Muster") for n in ("anna", "bert", "carl"))
    with_bert = _conversation(anna, bert, created_by=anna)
    Message.objects.create(conversation=with_bert, sender=anna, text="Ist das Rad noch da?")
    Message.objects.create(conversation=with_bert, sender=bert, text="Ja, komm vorbei.")
    unrelated = _conversation(bert, carl, created_by=bert)
    Message.objects.create(conversation=unrelated, sender=carl, text="Hallo Bert")
    Block.objects.create(blocker=anna, blocked=carl)
    Block.objects.create(blocker=carl, blocked=anna)
    return {"anna": anna, "bert": bert, "carl": carl, "with_bert": with_bert, "unrelated": unrelated}


def test_export_holds_her_own_messages_only(chats):
    data = section(chats["anna"], "conversations")

    assert [m["text"] for m in data["messages_sent"]] == ["Ist das Rad noch da?"]
    assert [c["conversation_id"] for c in data["conversations"]] == [chats["with_bert"].pk]
    assert len(data["blocked_people"]) == 1
    assert "Ja, komm vorbei" not in flat(data) and "Hallo Bert" not in flat(data)


def test_erase_keeps_berts_conversation_with_her_message_but_not_her(chats):
    personal_data_erase(chats["anna"])

    conversation = chats["with_bert"]
    assert list(conversation.participants.values_list("user_id", flat=True)) == [chats["bert"].pk]
    kept = Message.objects.get(text="Ist das Rad noch da?")
    assert kept.sender_id is None
    assert Conversation.objects.get(pk=conversation.pk).created_by_id is None
    assert not Block.objects.exists()
    assert Message.objects.filter(conversation=chats["unrelated"], sender=chats["carl"]).exists()


def test_a_conversation_nobody_is_left_in_goes(chats):
    personal_data_erase(chats["bert"])
    personal_data_erase(chats["anna"])

    assert not Conversation.objects.filter(pk=chats["with_bert"].pk).exists()
    assert Conversation.objects.filter(pk=chats["unrelated"].pk).exists()
