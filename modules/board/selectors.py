"""Reads for the Pinnwand, each a fixed number of queries whatever the number of posts.

Who sees what:
- A post for an Ortsgemeinde is for the residents of that Ortsgemeinde; a post for
  the whole town is for everyone, anonymous visitors included (like a notice on the
  town hall's board; authors appear as "Maria W.").
- Moderators and town admins see the posts of every Ortsgemeinde.
- Hidden posts and comments (by the moderators) are seen only by their author,
  with a note. Expired posts are gone from lists; the author can still open one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audience import audience_fact
from core.cached_lists import CachedList
from modules.board.facts import WROTE_HERE
from modules.board.models import Comment, Post, Reaction, ReactionKind, Topic
from town.models import Ortsgemeinde
from town.selectors import ortsgemeinde_list, user_ortsgemeinde_id

# The Ortsgemeinde filter's value for "only posts for the whole town".
TOWN_WIDE = "town"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _sees_every_ortsgemeinde(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_moderator)


def audience_q(user: Any, *, home_id: int | None = None, everything: bool | None = None) -> Q:
    """Posts aimed at `user`: town-wide ones plus their Ortsgemeinde's (every Ortsgemeinde for moderators)."""
    if everything is None:
        everything = _sees_every_ortsgemeinde(user)
    if everything:
        return Q()
    if home_id is None and _signed_in(user):
        home_id = user_ortsgemeinde_id(user)
    q = Q(ortsgemeinde__isnull=True)
    if home_id is not None:
        q |= Q(ortsgemeinde_id=home_id)
    return q


def current_q() -> Q:
    return Q(is_expired=False, expires_at__gt=timezone.now())


def wrote_here_fact(user: Any) -> str | None:
    """None when `user` wrote a post or a comment on the board (their board is their own), else ""."""
    wrote = Post.objects.filter(Q(author_id=user.pk) | Q(comments__author_id=user.pk)).exists()
    return None if wrote else ""


def wrote_here(user: Any) -> bool:
    """Has the signed-in `user` written anything on the board (asked once per request)?"""
    return _signed_in(user) and audience_fact(user, WROTE_HERE) is None


def visible_q(user: Any) -> Q:
    """On the board for `user`: current, aimed at them, and not hidden (their own hidden posts stay for them)."""
    not_hidden = Q(is_hidden=False)
    if wrote_here(user):
        not_hidden |= Q(author_id=user.pk)
    return current_q() & audience_q(user) & not_hidden


def _visible_comments_q(user: Any) -> Q:
    q = Q(is_hidden=False)
    if wrote_here(user):
        q |= Q(author_id=user.pk)
    return q


def _comment_count() -> Subquery:
    counts = (
        Comment.objects.filter(post=OuterRef("pk"), is_hidden=False)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def post_list_visible(
    *, user: Any, topic_slug: str | None = None, ortsgemeinde: str | int | None = None
) -> QuerySet[Post]:
    """What `user` finds on the board, newest first.

    `ortsgemeinde`: None for everything they may see, TOWN_WIDE for the town-wide
    posts only, or an Ortsgemeinde's id for its posts only (empty unless the user
    may see them).
    """
    qs = (
        Post.objects.filter(visible_q(user))
        .select_related("topic", "author", "ortsgemeinde", "entered_by")
        .prefetch_related("photos")
        .annotate(comment_count=_comment_count())
    )
    if topic_slug:
        qs = qs.filter(topic__slug=topic_slug)
    if ortsgemeinde == TOWN_WIDE:
        qs = qs.filter(ortsgemeinde__isnull=True)
    elif ortsgemeinde is not None:
        qs = qs.filter(ortsgemeinde_id=ortsgemeinde)
    return qs.order_by("-created_at", "-id")


def post_get_visible(*, pk: int, user: Any) -> Post | None:
    """The post's page: visible to `user`, or their own (also hidden or expired, with a note)."""
    q = visible_q(user)
    if _signed_in(user):
        q |= Q(author_id=user.pk)
    return (
        Post.objects.filter(q, pk=pk)
        .select_related("topic", "author", "ortsgemeinde", "entered_by")
        .prefetch_related("photos")
        .first()
    )


def post_get(*, pk: int) -> Post | None:
    """Any post, whoever may see it (for the moderation callbacks)."""
    return Post.objects.filter(pk=pk).select_related("topic", "author", "ortsgemeinde", "entered_by").first()


def comment_list(*, post: Post, user: Any) -> list[Comment]:
    return list(
        Comment.objects.filter(_visible_comments_q(user), post=post)
        .select_related("author")
        .order_by("created_at", "id")
    )


def comment_get_for(*, pk: int, user: Any) -> Comment | None:
    """A comment under a post `user` may see (its author may always reach their own)."""
    comment = Comment.objects.filter(pk=pk).select_related("post", "author").first()
    if comment is None:
        return None
    if comment.author_id == getattr(user, "pk", None):
        return comment
    if comment.is_hidden or post_get_visible(pk=comment.post_id, user=user) is None:
        return None
    return comment


def comment_get(*, pk: int) -> Comment | None:
    return Comment.objects.filter(pk=pk).select_related("post", "author").first()


def reaction_summary(*, post: Post, user: Any) -> list[dict[str, Any]]:
    """Each reaction kind with its count and whether `user` gave it (two queries)."""
    counts = dict(
        Reaction.objects.filter(post=post).order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    mine: set[str] = set()
    if _signed_in(user):
        mine = set(Reaction.objects.filter(post=post, user_id=user.pk).values_list("kind", flat=True))
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, 0), "mine": kind in mine}
        for kind, label in ReactionKind.choices
    ]


def feed_posts(*, user: Any, limit: int) -> list[Post]:
    """The newest posts for the start page's home feed: town-wide plus the visitor's Ortsgemeinde, one query.

    Unlike the board itself, moderators get their own Ortsgemeinde here too (the
    feed is about where one lives), and hidden posts never appear.
    """
    q = current_q() & audience_q(user, everything=False) & Q(is_hidden=False)
    return list(
        Post.objects.filter(q).select_related("topic", "author", "ortsgemeinde", "entered_by")
        .order_by("-created_at", "-id")[:limit]
    )


def _topics_build() -> list[Topic]:
    return list(Topic.objects.order_by("position", "name"))


# The filter's choices on every visit of the board; a moderator's edit shows on the next request.
_topics = CachedList("board.topics", _topics_build, models=(Topic,))


def topic_list() -> list[Topic]:
    return _topics.get()


def topic_get_by_slug(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first()


def ortsgemeinden_for_filter(user: Any) -> list[Ortsgemeinde]:
    """The Ortsgemeinden whose posts `user` may filter for: all for moderators, else their own."""
    # From the town's list (read once per request, cached per town by the platform), not a query of its own.
    if _sees_every_ortsgemeinde(user):
        return ortsgemeinde_list()
    home_id = user_ortsgemeinde_id(user) if _signed_in(user) else None
    if home_id is None:
        return []
    return [place for place in ortsgemeinde_list() if place.pk == home_id]
