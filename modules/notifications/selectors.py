"""Reads of the notifications module."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from modules.notifications.models import Notification, PushSubscription, TopicPreference, UrgentNotice


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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
    from django.utils import timezone

    since = timezone.now() - timezone.timedelta(hours=hours)
    return list(UrgentNotice.objects.filter(created_at__gte=since).prefetch_related("ortsgemeinden")[:3])
