"""Writes for Messages: starting conversations, sending, reading, blocking, moderation.

Every send passes the moderation module's abuse checks (activity and text) and
notifies the other participants once the transaction commits, except the sender
and anyone who blocked the sender.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.names import display_name as display_name
from core.page_cache import generation_bump
from core.ratelimit import write_limit_check
from modules.conversations.models import Block, Conversation, Message, Participant

MAX_PEOPLE = 8  # in a conversation, the sender included
TEXT_MAX_LENGTH = 4000
CONTEXT_MAX_LENGTH = 200
MODULE_KEY = "conversations"
MESSAGE_KIND = "conversations.message"
NOTIFY_TOPIC = "messages.new"


def _require_member(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise PermissionDenied(_("Please sign in to write messages."))


def _clean_text(text: str | None) -> str:
    # NUL bytes cannot be stored in PostgreSQL text; nothing else is changed, the text is escaped when shown.
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": _("Please write a message.")}, code="required")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("The message is too long (at most %(max)d characters).") % {"max": TEXT_MAX_LENGTH}},
            code="max_length",
        )
    return text


def _clean_context(label: str | None) -> str:
    label = " ".join((label or "").replace("\x00", "").split())
    return label[:CONTEXT_MAX_LENGTH]


def _abuse_checks(user: Any, text: str) -> None:
    """The moderation module's limits and text rules; each raises ValidationError."""
    from modules.moderation.facade import activity_check, text_check

    activity_check(user=user, action="message")
    text_check(text)
    write_limit_check("conversations.message", user, what=_("messages"))  # last: it counts in the cache


def blocks(*, blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def _direct_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}-{high}"


def _recipients(acting_user: Any, recipient_ids: Iterable[Any]) -> list[Any]:
    try:
        ids = {int(pk) for pk in recipient_ids}
    except (TypeError, ValueError):
        raise ValidationError({"recipients": _("Please choose the people to write to.")}, code="invalid") from None
    if ids == {acting_user.pk}:
        raise ValidationError({"recipients": _("You cannot write to yourself.")}, code="self")
    ids.discard(acting_user.pk)
    if not ids:
        raise ValidationError({"recipients": _("Please choose at least one person.")}, code="required")
    if len(ids) + 1 > MAX_PEOPLE:
        raise ValidationError(
            {"recipients": ngettext(
                "A conversation has at most %(max)d person besides you.",
                "A conversation has at most %(max)d people besides you.",
                MAX_PEOPLE - 1,
            ) % {"max": MAX_PEOPLE - 1}},
            code="too_many",
        )
    # Ids in 64 bits only: anything larger can't be a person of this town.
    people = list(
        get_user_model().objects.filter(pk__in=[pk for pk in ids if 0 < pk < 2**63], is_active=True).order_by("pk")
    )
    if len(people) != len(ids):
        raise ValidationError(
            {"recipients": _("Some of these people are not residents of this town.")}, code="unknown"
        )
    return people


def _refuse_blocked(acting_user: Any, people: Iterable[Any]) -> None:
    people = list(people)
    ids = [person.pk for person in people]
    blocked_by = set(
        Block.objects.filter(blocker_id__in=ids, blocked_id=acting_user.pk).values_list("blocker_id", flat=True)
    )
    for person in people:
        if person.pk in blocked_by:
            raise PermissionDenied(_("%(name)s does not accept messages from you.") % {"name": display_name(person)})


@transaction.atomic
def conversation_start(
    *, acting_user: Any, recipient_ids: Iterable[Any], text: str, context_label: str = ""
) -> Message:
    """Write to one person (their one-to-one conversation is reused) or start a group of up to eight."""
    _require_member(acting_user)
    people = _recipients(acting_user, recipient_ids)
    text = _clean_text(text)
    _refuse_blocked(acting_user, people)
    if len(people) == 1:
        conversation, created = Conversation.objects.get_or_create(
            direct_key=_direct_key(acting_user.pk, people[0].pk),
            defaults={"created_by": acting_user, "last_message_at": timezone.now()},
        )
        if not created:
            return message_send(
                conversation=conversation, acting_user=acting_user, text=text, context_label=context_label
            )
    else:
        conversation = Conversation.objects.create(created_by=acting_user, last_message_at=timezone.now())
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user=person) for person in [acting_user, *people]
    )
    return message_send(conversation=conversation, acting_user=acting_user, text=text, context_label=context_label)


def _other_in_direct(conversation: Conversation, user: Any) -> Any | None:
    other = (
        Participant.objects.filter(conversation=conversation).exclude(user_id=user.pk).select_related("user").first()
    )
    return other.user if other else None


@transaction.atomic
def message_send(*, conversation: Conversation, acting_user: Any, text: str, context_label: str = "") -> Message:
    """Post a message to a conversation `acting_user` takes part in."""
    _require_member(acting_user)
    if not Participant.objects.filter(conversation=conversation, user_id=acting_user.pk).exists():
        raise PermissionDenied(_("You are not part of this conversation."))
    text = _clean_text(text)
    if conversation.is_direct:
        other = _other_in_direct(conversation, acting_user)
        if other is None or not other.is_active:
            raise PermissionDenied(_("This conversation has ended."))
        if blocks(blocker_id=other.pk, blocked_id=acting_user.pk):
            raise PermissionDenied(_("%(name)s does not accept messages from you.") % {"name": display_name(other)})
        if blocks(blocker_id=acting_user.pk, blocked_id=other.pk):
            raise PermissionDenied(
                _("You have blocked %(name)s. Unblock them to write again.") % {"name": display_name(other)}
            )
    _abuse_checks(acting_user, text)
    message = Message.objects.create(
        conversation=conversation, sender=acting_user, text=text, context_label=_clean_context(context_label)
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    conversation.last_message_at = message.created_at
    # Your own message is read by you.
    Participant.objects.filter(conversation=conversation, user_id=acting_user.pk).update(
        last_read_message_id=Greatest(F("last_read_message_id"), message.pk)
    )
    message_notify(message=message)
    return message


@transaction.atomic
def conversation_leave(*, conversation: Conversation, acting_user: Any) -> None:
    """Leave a group conversation: it disappears from your list and you hear nothing more from it."""
    _require_member(acting_user)
    if conversation.is_direct:
        raise ValidationError(_("A conversation between two people can't be left; block the person instead."))
    deleted, _rows = Participant.objects.filter(conversation=conversation, user_id=acting_user.pk).delete()
    if not deleted:
        raise PermissionDenied(_("You are not part of this conversation."))


def message_notify(*, message: Message) -> None:
    """Tell the other participants (after commit). Safe to call twice: the dedupe key is per message."""
    from modules.notifications.facade import notify

    sender_id = message.sender_id
    recipient_ids = list(
        Participant.objects.filter(conversation_id=message.conversation_id, user__is_active=True)
        .exclude(user_id=sender_id)
        .exclude(user_id__in=Block.objects.filter(blocked_id=sender_id).values("blocker_id"))
        .values_list("user_id", flat=True)
    )
    if not recipient_ids:
        return
    sender_name = display_name(message.sender) if message.sender_id else _("A neighbour")
    notify(
        user_ids=recipient_ids,
        event=MESSAGE_KIND,
        title=_("New message from %(name)s") % {"name": sender_name},
        # The text itself stays on the platform: e-mails and push services don't carry private messages.
        body=message.context_label or _("Open the conversation to read it."),
        url=f"{message.conversation.get_absolute_url()}#message-{message.pk}",
        dedupe_key=f"{MESSAGE_KIND}:{message.pk}",
        topic=NOTIFY_TOPIC,
    )


def conversation_mark_read(*, conversation: Conversation, user: Any, up_to_id: int) -> None:
    """Everything up to message `up_to_id` counts as read by `user` (never moves backwards)."""
    if up_to_id <= 0:
        return
    moved = Participant.objects.filter(
        conversation=conversation, user_id=user.pk, last_read_message_id__lt=up_to_id
    ).update(last_read_message_id=up_to_id)
    if moved:
        # update() sends no signal: the start page's cached unread count must follow (core.page_cache).
        generation_bump("conversations", visitor_pages=False)


# --- blocking ---------------------------------------------------------------------------


@transaction.atomic
def block_create(*, acting_user: Any, blocked_id: Any) -> Block:
    _require_member(acting_user)
    try:
        blocked_id = int(blocked_id)
    except (TypeError, ValueError):
        raise ValidationError({"user": _("This person is not a resident of this town.")}) from None
    if blocked_id == acting_user.pk:
        raise ValidationError({"user": _("You cannot block yourself.")})
    if not (0 < blocked_id < 2**63) or not get_user_model().objects.filter(pk=blocked_id).exists():
        raise ValidationError({"user": _("This person is not a resident of this town.")})
    block, _created = Block.objects.get_or_create(blocker_id=acting_user.pk, blocked_id=blocked_id)
    return block


@transaction.atomic
def block_delete(*, acting_user: Any, blocked_id: Any) -> bool:
    _require_member(acting_user)
    try:
        blocked_id = int(blocked_id)
    except (TypeError, ValueError):
        return False
    if not 0 < blocked_id < 2**63:
        return False
    deleted, _rows = Block.objects.filter(blocker_id=acting_user.pk, blocked_id=blocked_id).delete()
    return bool(deleted)


# --- moderation (called by the moderation module, which checks the moderator's rights) ---------


@transaction.atomic
def message_set_hidden(message_id: int, hidden: bool) -> None:
    # Positional too: the moderation module calls it as ModeratedContent.set_hidden(pk, hidden).
    Message.objects.filter(pk=message_id).update(is_hidden=hidden)
    generation_bump("conversations", visitor_pages=False)


@transaction.atomic
def message_delete(message_id: int) -> None:
    Message.objects.filter(pk=message_id).delete()
