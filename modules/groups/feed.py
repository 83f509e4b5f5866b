"""What groups give the platform: home-feed items and the moderators' view of posts and comments."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.modules import FeedItem
from modules.groups import selectors
from modules.groups.models import Comment, Post
from modules.moderation.capabilities import ContentSummary

HEADLINE_LENGTH = 80


def headline(text: str) -> tuple[str, str]:
    """A post's first line as its title (shortened at a word), and what follows as the summary."""
    first, _sep, rest = text.strip().partition("\n")
    first = first.strip()
    if len(first) <= HEADLINE_LENGTH:
        return first, " ".join(rest.split())
    cut = first[:HEADLINE_LENGTH].rsplit(" ", 1)[0] or first[:HEADLINE_LENGTH]
    return cut + " …", " ".join(f"{first[len(cut):].strip()} {rest}".split())


def feed_items(request: HttpRequest, limit: int) -> list[FeedItem]:
    """The newest posts of the resident's own groups; nothing for visitors who aren't signed in."""
    items = []
    for post in selectors.feed_posts(user=request.user, limit=limit):
        title, rest = headline(post.text)
        items.append(FeedItem(
            published_at=post.created_at,
            kind_label=_("Group: %(name)s") % {"name": post.group.name},
            title=title,
            summary=rest,
            url=post.get_absolute_url(),
            author=selectors.display_name(post.author),
            place=post.group.ortsgemeinde.name if post.group.ortsgemeinde_id else "",
        ))
    return items


def post_summary(pk: int) -> ContentSummary | None:
    post = Post.objects.filter(pk=pk).select_related("group").first()
    if post is None:
        return None
    return ContentSummary(author_id=post.author_id, excerpt=post.text, url=post.get_absolute_url(),
                          is_hidden=post.is_hidden)


def comment_summary(pk: int) -> ContentSummary | None:
    comment = Comment.objects.filter(pk=pk).select_related("post", "post__group").first()
    if comment is None:
        return None
    return ContentSummary(author_id=comment.author_id, excerpt=comment.text,
                          url=comment.post.get_absolute_url() + f"#comment-{comment.pk}", is_hidden=comment.is_hidden)
