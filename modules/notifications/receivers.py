"""Listens to core.signals.content_published: official news becomes a notification for residents who opted in.

The platform only calls the receiver in towns that have this module on; the
work itself runs in the worker (tasks.announce_content).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from core.signals import content_published
from modules.notifications.topics import NEWS_OFFICIAL, NEWS_ORGANISATIONS


@receiver(content_published, dispatch_uid="notifications.content_published")
def on_content_published(
    sender: Any, kind: str = "", object_id: int | None = None, ortsgemeinde_ids: Any = (), **kwargs: Any
) -> None:
    if kind != "news.article" or object_id is None:
        return
    from modules.notifications.tasks import announce_content

    ids = [int(pk) for pk in ortsgemeinde_ids or ()]
    transaction.on_commit(lambda: announce_content.delay(kind=kind, object_id=int(object_id), ortsgemeinde_ids=ids))


def content_announce(*, kind: str, object_id: int, ortsgemeinde_ids: list[int]) -> int:
    """Notify the subscribers of a published news article; returns how many people were asked."""
    if kind != "news.article":
        return 0
    from modules.news.facade import article_get
    from modules.notifications.services import content_subscribers, notifications_deliver

    article = article_get(object_id)
    if article is None:  # unpublished or deleted again before the worker got to it
        return 0
    topic = NEWS_OFFICIAL if article.organisation_id is None else NEWS_ORGANISATIONS
    user_ids = content_subscribers(topic=topic, ortsgemeinde_ids=ortsgemeinde_ids)
    notifications_deliver(
        user_ids=user_ids,
        event=kind,
        title=article.title,
        body=article.teaser,
        url=article.url,
        dedupe_key=f"news.article:{article.id}",
        topic=topic,
    )
    return len(user_ids)
