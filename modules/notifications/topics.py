"""What a resident can subscribe to, and what they get when they have not chosen yet.

A topic the registry doesn't know (e.g. "groups.42" from a later groups module)
counts as opted in with every channel: the caller already chose the people it
notifies (members of a group, the two people of a conversation).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

URGENT = "urgent"
NEWS_OFFICIAL = "news.official"
NEWS_ORGANISATIONS = "news.organisations"
BOARD_POSTS = "board.posts"
BOARD_REPLIES = "board.replies"
MESSAGES = "messages.new"
MODERATION = "moderation.decisions"
MARKETPLACE_SAVED_SEARCHES = "marketplace.saved_searches"
# In an unsubscribe token: every e-mail that isn't about a topic (digests, direct notifications).
ALL_EMAIL = "*"


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str
    default_on: bool  # without a stored choice, is the resident subscribed?


TOPICS: dict[str, Topic] = {
    URGENT: Topic(
        URGENT,
        _("Urgent notices"),
        _("Warnings from the town hall: drinking water, road closures, severe weather."),
        default_on=True,
    ),
    NEWS_OFFICIAL: Topic(
        NEWS_OFFICIAL,
        _("Official news"),
        _("News from the town hall for the whole town and for your Ortsgemeinde."),
        default_on=False,
    ),
    NEWS_ORGANISATIONS: Topic(
        NEWS_ORGANISATIONS,
        _("News from clubs and organisations"),
        _("News that clubs, the fire brigade, parishes and schools publish for your Ortsgemeinde."),
        default_on=False,
    ),
    BOARD_POSTS: Topic(
        BOARD_POSTS,
        _("New posts on the community board"),
        _("Posts on the Pinnwand for your Ortsgemeinde and for the whole town."),
        default_on=True,
    ),
    BOARD_REPLIES: Topic(
        BOARD_REPLIES,
        _("Comments on your posts"),
        _("When someone comments on what you posted on the Pinnwand or in a group."),
        default_on=True,
    ),
    MESSAGES: Topic(
        MESSAGES,
        _("Personal messages"),
        _("When another resident writes to you."),
        default_on=True,
    ),
    MODERATION: Topic(
        MODERATION,
        _("Moderation decisions"),
        _("When the town's moderators decide on your content or on something you reported."),
        default_on=True,
    ),
    MARKETPLACE_SAVED_SEARCHES: Topic(
        MARKETPLACE_SAVED_SEARCHES,
        _("New listings for your saved searches"),
        _("When a new listing in Suche & Biete matches a search you saved."),
        default_on=True,
    ),
}


def topic_label(key: str) -> str:
    topic = TOPICS.get(key)
    return str(topic.label) if topic else ""
