"""Reads for Messages. Only participants ever get a conversation or its messages back.

A viewer never sees messages from people they blocked; those don't count as unread either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from core.paging import NextPage, page_of
from modules.conversations.models import Block, Conversation, Message, Participant

_MAX_ID = 2**63 - 1


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _from_blocked_q(viewer_id: int) -> Q:
    """Messages whose sender `viewer_id` has blocked (for .exclude())."""
    return Q(Exists(Block.objects.filter(blocker_id=viewer_id, blocked_id=OuterRef("sender_id"))))


def conversation_get_for(*, pk: int, user: Any) -> Conversation | None:
    """The conversation if `user` takes part in it, else None (the page answers 404)."""
    if not _signed_in(user) or not 0 < pk <= _MAX_ID:
        return None
    return (
        Conversation.objects.filter(pk=pk, participants__user_id=user.pk)
        .annotate(my_last_read=F("participants__last_read_message_id"))
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("user").order_by("pk")))
        .first()
    )


def conversation_list_for(*, user: Any) -> QuerySet[Conversation]:
    """The conversations `user` takes part in, newest activity first: a plain query, to be paged; the page
    then goes through with_unread_and_people."""
    if not _signed_in(user):
        return Conversation.objects.none()
    return Conversation.objects.filter(participants__user_id=user.pk).order_by("-last_message_at", "-id")


def with_unread_and_people(conversations: Sequence[Conversation], *, user: Any) -> Sequence[Conversation]:
    """`conversations` (a page of conversation_list_for), each given `unread` (its messages `user` hasn't read)
    and its people: two queries when there are any, none when there aren't.

    Counted for the page only, in one grouped query: a correlated count on every row of the list made the
    statement cost more to plan than to run, also for the many residents without any conversation.
    """
    if not conversations:
        return conversations
    unread = dict(
        _unread_messages(user.pk).filter(conversation_id__in=[conversation.pk for conversation in conversations])
        .values("conversation_id").annotate(n=Count("id")).values_list("conversation_id", "n")
    )
    for conversation in conversations:
        conversation.unread = unread.get(conversation.pk, 0)  # type: ignore[attr-defined]
    people = Participant.objects.select_related("user").order_by("pk")
    prefetch_related_objects(list(conversations), Prefetch("participants", queryset=people))
    return conversations


def conversation_page_for(*, user: Any, number: Any, per_page: int) -> NextPage[Conversation]:
    """Page `number` of `user`'s conversations (one row more tells whether there is a next one), each with
    its unread count and people."""
    page = page_of(conversation_list_for(user=user), per_page, number)
    with_unread_and_people(page.object_list, user=user)
    return page


def _unread_messages(user_id: int) -> QuerySet[Message]:
    """Messages in `user_id`'s conversations after the last one they read: not hidden, not their own,
    not from someone they blocked."""
    return (
        Message.objects.filter(
            conversation__participants__user_id=user_id,
            id__gt=F("conversation__participants__last_read_message_id"),
            is_hidden=False,
        )
        .exclude(sender_id=user_id)
        .exclude(_from_blocked_q(user_id))
    )


def unread_total(*, user: Any) -> int:
    """Unread messages over all of `user`'s conversations (one query)."""
    if not _signed_in(user):
        return 0
    return _unread_messages(user.pk).count()


def message_list_for(
    *, conversation: Conversation, user: Any, after: int | None = None, before: int | None = None, limit: int = 50
) -> list[Message]:
    """Messages `user` may see, oldest first: the newest `limit` (older than `before`), or the first after `after`."""
    qs = Message.objects.filter(conversation=conversation).exclude(_from_blocked_q(user.pk)).select_related("sender")
    if after is not None:
        return list(qs.filter(id__gt=after).order_by("id")[:limit])
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(reversed(qs.order_by("-id")[:limit]))


def message_has_older(*, conversation: Conversation, user: Any, before_id: int) -> bool:
    return (
        Message.objects.filter(conversation=conversation, id__lt=before_id)
        .exclude(_from_blocked_q(user.pk))
        .exists()
    )


def message_get(*, pk: int) -> Message | None:
    if not 0 < pk <= _MAX_ID:
        return None
    return Message.objects.filter(pk=pk).first()


def blocked_ids(*, user: Any) -> set[int]:
    return set(Block.objects.filter(blocker_id=user.pk).values_list("blocked_id", flat=True))


def block_list(*, user: Any) -> list[Block]:
    return list(Block.objects.filter(blocker_id=user.pk).select_related("blocked").order_by("-created_at"))


def contacts_of(*, user: Any) -> list[Any]:
    """Active people `user` already has a conversation with (to start a group from), by name."""
    mine = Participant.objects.filter(user_id=user.pk).values("conversation_id")
    return list(
        get_user_model()
        .objects.filter(is_active=True, pk__in=Participant.objects.filter(conversation_id__in=mine).values("user_id"))
        .exclude(pk=user.pk)
        .order_by("name", "pk")
    )


def people_by_ids(*, ids: list[int]) -> list[Any]:
    ids = [pk for pk in ids if 0 < pk <= _MAX_ID]
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("name", "pk"))


def direct_conversation_with(*, user: Any, other_id: int) -> Conversation | None:
    low, high = sorted((user.pk, other_id))
    return Conversation.objects.filter(direct_key=f"{low}-{high}", participants__user_id=user.pk).first()
