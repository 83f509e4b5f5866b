"""What a resident can subscribe to, and what they get when they have not chosen yet.

Each module declares its own topics (capabilities.NotificationTopic); this module
declares only its own, urgent notices. A topic no module declares (e.g. "groups.42")
counts as opted in with every channel: the caller already chose the people it
notifies (members of a group, the two people of a conversation).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from modules.notifications.capabilities import TOPICS, NotificationTopic

URGENT = "urgent"
# In an unsubscribe token: every e-mail that isn't about a topic (digests, direct notifications).
ALL_EMAIL = "*"

URGENT_TOPIC = NotificationTopic(
    URGENT,
    _("Urgent notices"),
    _("Warnings from the town hall: drinking water, road closures, severe weather."),
    default_on=True,
    order=0,
)

# What the people following a club or organisation hear of (AnnouncedContent naming its organisation):
# following is already the choice, so it is on unless they switch it off.
FOLLOWS = "follows"
FOLLOWS_TOPIC = NotificationTopic(
    FOLLOWS,
    _("Organisations you follow"),
    _("New events and news of the clubs and organisations you follow."),
    default_on=True,
    order=5,
)

__all__ = ["ALL_EMAIL", "FOLLOWS", "FOLLOWS_TOPIC", "TOPICS", "URGENT", "URGENT_TOPIC", "topic_label"]


def topic_label(key: str) -> str:
    topic = TOPICS.get(key)
    return str(topic.label) if topic else ""
