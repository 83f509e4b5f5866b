"""Messages (core.personal_data).

- conversations.Participant
  export: which conversations, since when
  erase: deleted: they leave every conversation
- conversations.Message they sent
  export: text, context, date (never the others' messages)
  erase: **kept, anonymised** (``sender`` cleared): the others keep the conversation they had; a conversation nobody
    is left in is deleted
- conversations.Conversation they started (``created_by``)
  export: (in the list above)
  erase: kept, ``created_by`` cleared
- conversations.Block they set or that names them
  export: count and dates, not whom
  erase: deleted
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from modules.conversations.models import Block, Conversation, Message, Participant


def export(user: Any) -> dict[str, Any]:
    return {
        "conversations": list(Participant.objects.filter(user=user).order_by("pk")
                              .values("conversation_id", "joined_at")),
        "messages_sent": list(Message.objects.filter(sender=user).order_by("pk")
                              .values("conversation_id", "text", "context_label", "created_at", "is_hidden")),
        "blocked_people": list(Block.objects.filter(blocker=user).order_by("pk").values("created_at")),
    }


def erase(user: Any) -> None:
    conversation_ids = list(Participant.objects.filter(user=user).values_list("conversation_id", flat=True))
    Participant.objects.filter(user=user).delete()
    Conversation.objects.filter(pk__in=conversation_ids, participants__isnull=True).delete()
    Message.objects.filter(sender=user).update(sender=None)
    Conversation.objects.filter(created_by=user).update(created_by=None)
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
