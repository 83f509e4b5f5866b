"""Listens to core.signals.content_published: announced content becomes a notification for residents who opted in.

The platform only calls the receiver in towns that have this module on; the
work itself runs in the worker (tasks.announce_content).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from core.capabilities import call, declared
from core.signals import content_published
from modules.notifications.capabilities import AnnouncedContent, Announcement


def _announced(kind: str) -> AnnouncedContent | None:
    return next((c for c in declared(AnnouncedContent) if c.kind == kind), None)


@receiver(content_published, dispatch_uid="notifications.content_published")
def on_content_published(
    sender: Any, kind: str = "", object_id: int | None = None, ortsgemeinde_ids: Any = (), **kwargs: Any
) -> None:
    # Only kinds whose module declares an AnnouncedContent become notifications.
    if object_id is None or _announced(kind) is None:
        return
    from core.outbox import outbox_enqueue

    # Through the outbox: the row commits with the publishing module's change (it sends this signal
    # inside its transaction) and reaches the worker even if the broker is down right then.
    ids = [int(pk) for pk in ortsgemeinde_ids or ()]
    outbox_enqueue("notifications.announce_content",
                   kwargs={"kind": kind, "object_id": int(object_id), "ortsgemeinde_ids": ids})


def content_announce(*, kind: str, object_id: int, ortsgemeinde_ids: list[int]) -> int:
    """Notify the subscribers of published content; returns how many people were asked.

    The module that published it describes it (AnnouncedContent.announcement); None means it
    is no longer public (unpublished or deleted before the worker got to it).
    """
    announced = _announced(kind)
    if announced is None:
        return 0
    from modules.notifications.services import content_subscribers, notifications_deliver

    announcement: Announcement | None = call(announced.announcement, object_id)
    if announcement is None:
        return 0
    audience = list(announcement.ortsgemeinde_ids) or ortsgemeinde_ids
    dedupe_key = announcement.dedupe_key or f"{kind}:{object_id}"
    followers: list[int] = []
    if announcement.organisation_id is not None:
        # Followers first, under their own topic; the shared dedupe key tells nobody twice.
        from modules.notifications.topics import FOLLOWS
        from town.people_selectors import organisation_follower_ids

        followers = organisation_follower_ids(announcement.organisation_id)
        notifications_deliver(user_ids=followers, event=kind, title=announcement.title, body=announcement.body,
                              url=announcement.url, dedupe_key=dedupe_key, topic=FOLLOWS)
    user_ids = content_subscribers(topic=announcement.topic, ortsgemeinde_ids=audience)
    notifications_deliver(
        user_ids=user_ids,
        event=kind,
        title=announcement.title,
        body=announcement.body,
        url=announcement.url,
        dedupe_key=dedupe_key,
        topic=announcement.topic,
    )
    return len(set(user_ids) | set(followers))
