"""The Pinnwand's public face: the ONLY thing other modules and platform code import.

Everything returned is a plain frozen dataclass (core.modules' FeedItem and
ContentSummary), never a model instance.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.modules import FeedItem
from modules.board import selectors, services
from modules.moderation.capabilities import ContentSummary


def feed_items(request: HttpRequest, limit: int) -> list[FeedItem]:
    """The newest posts for the visitor's home feed (their Ortsgemeinde and the whole town), one query.

    Anonymous visitors and people without an Ortsgemeinde get the town-wide posts only.
    """
    items = []
    for post in selectors.feed_posts(user=request.user, limit=limit):
        title, rest = services.headline(post.text)
        items.append(
            FeedItem(
                published_at=post.created_at,
                kind_label=_("Pinnwand · %(topic)s") % {"topic": post.topic.name},
                title=title,
                summary=rest,
                url=post.get_absolute_url(),
                author=services.display_name(post.author),
                place=post.ortsgemeinde.name if post.ortsgemeinde_id else "",
            )
        )
    return items


def post_summary(pk: int) -> ContentSummary | None:
    post = selectors.post_get(pk=pk)
    if post is None:
        return None
    return ContentSummary(author_id=post.author_id, excerpt=post.text, url=post.get_absolute_url(),
                          is_hidden=post.is_hidden)


def comment_summary(pk: int) -> ContentSummary | None:
    comment = selectors.comment_get(pk=pk)
    if comment is None:
        return None
    return ContentSummary(
        author_id=comment.author_id, excerpt=comment.text,
        url=f"{comment.post.get_absolute_url()}#comment-{comment.pk}", is_hidden=comment.is_hidden,
    )


def post_set_hidden(pk: int, hidden: bool) -> None:
    services.post_set_hidden(pk, hidden)


def post_delete(pk: int) -> None:
    services.post_delete_moderated(pk)


def comment_set_hidden(pk: int, hidden: bool) -> None:
    services.comment_set_hidden(pk, hidden)


def comment_delete(pk: int) -> None:
    services.comment_delete_moderated(pk)


def topic_choices() -> list[tuple[int, str]]:
    """(id, name) of the Pinnwand's topics ([] while the board module is off: nothing is read then)."""
    from core.access import tenant_has_module
    from modules.board.models import Topic

    if not tenant_has_module("board"):
        return []
    return [(topic.pk, topic.name) for topic in Topic.objects.order_by("position", "name")]


def post_create_for(*, author: Any, helper: Any, topic_id: int, text: str) -> str:
    """A Digitallotse (`helper`) posts for `author`, who agreed in person: the post is the author's and says
    who typed it in. Returns the post's address; raises ValidationError with the reason (the same rules
    as for the author's own posts). Does nothing ("") while the board module is off."""
    from core.access import tenant_has_module
    from modules.board.models import Topic
    from modules.board.services import TARGET_ORTSGEMEINDE, TARGET_TOWN, post_create, user_ortsgemeinde_id

    if not tenant_has_module("board"):
        return ""
    topic = Topic.objects.filter(pk=topic_id).first()
    # For the author's village, like their own posts; someone registered without one posts town-wide.
    target = TARGET_ORTSGEMEINDE if user_ortsgemeinde_id(author) else TARGET_TOWN
    post = post_create(acting_user=author, topic=topic, text=text, target=target, entered_by=helper)
    return post.get_absolute_url()
