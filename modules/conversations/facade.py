"""The Messages module's public face: the ONLY thing other modules and platform code import.

    from modules.conversations import facade as conversations

    url = conversations.conversation_start_url(recipient_id=post.author_id)   # None: module off
    if url:
        ... link "Nachricht schreiben" to url ...

    path = conversations.conversation_open(sender=request.user, recipient_id=owner_id,
                                           text=form.cleaned_data["body"], context_label="Suche & Biete: ...")

Both work in the current town only; no model instances leave this module.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import tenant_has_module
from modules.moderation.capabilities import ContentSummary

MODULE_KEY = "conversations"


def conversations_enabled() -> bool:
    """Is Messages switched on in the current town?"""
    return tenant_has_module(MODULE_KEY)


def conversation_start_url(recipient_id: int) -> str | None:
    """Path of the page that starts (or continues) a conversation with that resident; None when the module is off."""
    if not conversations_enabled():
        return None
    return reverse("conversations:conversation-new") + "?" + urlencode({"to": int(recipient_id)})


def conversation_open(*, sender: Any, recipient_id: int, text: str, context_label: str = "") -> str:
    """Write `text` to one resident: reuses their one-to-one conversation with `sender` or starts it.

    Returns the path of the conversation (at the new message). Raises ValidationError
    (empty or too long text, unknown person, the moderation module's limits) or
    PermissionDenied (module off, `sender` blocked by the recipient) with messages
    ready to show, exactly as the conversation page would.
    """
    if not conversations_enabled():
        raise PermissionDenied(_("Messages are not available in this town."))
    from modules.conversations.services import conversation_start

    message = conversation_start(
        acting_user=sender, recipient_ids=[recipient_id], text=text, context_label=context_label
    )
    return f"{message.conversation.get_absolute_url()}#message-{message.pk}"


def message_summary(pk: int) -> ContentSummary | None:
    """What moderators see of a reported message: only that message, never the rest of the conversation."""
    from modules.conversations.selectors import message_get

    message = message_get(pk=pk)
    if message is None:
        return None
    return ContentSummary(author_id=message.sender_id, excerpt=message.text, url="", is_hidden=message.is_hidden)
