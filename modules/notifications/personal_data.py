"""Notifications (core.personal_data).

- notifications.Notification
  export: event, title, text, link, dates
  erase: deleted
- notifications.NotificationSettings
  export: e-mail frequency, quiet hours
  erase: deleted
- notifications.TopicPreference
  export: topic and channels
  erase: deleted
- notifications.PushSubscription
  export: browser and dates; not the push address or keys (secrets of the browser)
  erase: deleted: no push reaches the device again
- notifications.Notification of other people that name them ("Anna M. commented on your post")
  export: (not exported: the other person's)
  erase: kept, the name in the title replaced by "A neighbour" (in the town's language); only a name with an
    initial is replaced, because a bare first name would also match other words and people
- notifications.UrgentNotice they sent (``created_by``)
  export: title, date
  erase: **kept**, ``created_by`` cleared: an official notice of the town
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import translation

from core.names import display_name
from modules.notifications.models import (
    Notification,
    NotificationSettings,
    PushSubscription,
    TopicPreference,
    UrgentNotice,
)


def export(user: Any) -> dict[str, Any]:
    return {
        "notifications": list(Notification.objects.filter(user=user).order_by("pk").values(
            "event", "title", "body", "url", "topic", "urgent", "created_at", "read_at")),
        "settings": NotificationSettings.objects.filter(user=user).values(
            "email_frequency", "quiet_hours", "quiet_start", "quiet_end").first(),
        "topics": list(TopicPreference.objects.filter(user=user).order_by("pk")
                       .values("topic", "enabled", "email", "push")),
        "push_devices": list(PushSubscription.objects.filter(user=user).order_by("pk")
                             .values("user_agent", "created_at", "last_success_at")),
        "urgent_notices_sent": list(UrgentNotice.objects.filter(created_by=user).order_by("pk")
                                    .values("title", "created_at")),
    }


def _unname_in_others_titles(user: Any) -> None:
    name = display_name(user)
    if not user.name or not name.endswith("."):
        return
    with translation.override(settings.LANGUAGE_CODE):
        neutral = display_name(None)
    Notification.objects.exclude(user=user).filter(title__contains=name).update(
        title=Replace("title", Value(name), Value(neutral))
    )


def erase(user: Any) -> None:
    _unname_in_others_titles(user)
    Notification.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    TopicPreference.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    UrgentNotice.objects.filter(created_by=user).update(created_by=None)
