"""Reads of the notifications module."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from modules.notifications.models import Notification, PushSubscription, TopicPreference, UrgentNotice


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


UNREAD_CACHE_SECONDS = 600
URGENT_CACHE_KEY = "notifications:urgent-recent"  # the cache's KEY_FUNCTION adds the schema name


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(*, user: Any) -> int:
    """Shown on every page: cached per person, dropped by the services whenever it changes."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def notification_get(*, user: Any, notification_id: int) -> Notification | None:
    return Notification.objects.filter(user=user, pk=notification_id).first()


def topic_preferences(*, user: Any) -> dict[str, TopicPreference]:
    return {pref.topic: pref for pref in TopicPreference.objects.filter(user=user)}


def push_subscription_count(*, user: Any) -> int:
    return PushSubscription.objects.filter(user=user).count()


def urgent_notice_list(*, limit: int = 50) -> QuerySet[UrgentNotice]:
    return UrgentNotice.objects.select_related("created_by").prefetch_related("ortsgemeinden")[:limit]


def urgent_notice_get(*, notice_id: int) -> UrgentNotice | None:
    return UrgentNotice.objects.prefetch_related("ortsgemeinden").filter(pk=notice_id).first()


def urgent_notices_recent(*, hours: int = 48) -> list[UrgentNotice]:
    """The newest urgent notices of the last `hours` (for the start page: cached, no query per visit)."""
    from django.utils import timezone

    notices = cache.get(URGENT_CACHE_KEY)
    if notices is None:
        since = timezone.now() - timezone.timedelta(hours=hours)
        notices = list(UrgentNotice.objects.filter(created_at__gte=since).prefetch_related("ortsgemeinden")[:3])
        cache.set(URGENT_CACHE_KEY, notices, 300)
    cutoff = timezone.now() - timezone.timedelta(hours=hours)
    return [notice for notice in notices if notice.created_at >= cutoff]


def forget_unread_counts(user_ids: Any) -> None:
    cache.delete_many([unread_cache_key(uid) for uid in user_ids])


def forget_urgent_notices() -> None:
    cache.delete(URGENT_CACHE_KEY)
