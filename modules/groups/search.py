"""Groups in the site-wide search (core.search): groups, and the posts the visitor may read.

Like the group pages: every visitor finds a group by its name and description
(the group list shows closed groups too); posts only where the visitor may read
the feed, i.e. signed in, and the group public, theirs, their organisation's, or
they moderate the town. Expression indexes (``groups_group_search_gin``,
``groups_post_search_gin``) serve the filters, which must use the same expressions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.groups.feed import headline
from modules.groups.models import Group, Membership, Post, Visibility
from town.models import MembershipRole, OrganisationMembership

# The indexed expressions (see the models' Meta.indexes).
GROUP_DOCUMENT = SearchVector("name", "description", config="german")
POST_DOCUMENT = SearchVector("text", config="german")


def _readable_q(user: Any) -> Q | None:
    """The posts `user` may read as one condition (None: none at all), mirroring selectors.group_access."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    if user.is_moderator:
        return Q()
    member = Membership.objects.filter(group_id=OuterRef("group_id"), user_id=user.pk)
    manager = OrganisationMembership.objects.filter(
        organisation_id=OuterRef("group__organisation_id"), organisation__is_approved=True, user_id=user.pk,
        role=MembershipRole.MANAGER,
    )
    return Q(group__visibility=Visibility.PUBLIC) | Exists(member) | Exists(manager)


def _groups(query: str, limit: int) -> list[SearchResult]:
    groups = ranked(Group.objects.all(), GROUP_DOCUMENT, query, "name", "id").select_related("ortsgemeinde")[:limit]
    return [
        SearchResult(
            title=group.name,
            url=group.get_absolute_url(),
            kind_label=_("Closed group") if group.is_closed else _("Group"),
            snippet=excerpt(group.description, query),
            place=group.ortsgemeinde.name if group.ortsgemeinde_id else "",
            rank=float(group.rank),
        )
        for group in groups
    ]


def _posts(user: Any, query: str, limit: int) -> list[SearchResult]:
    readable = _readable_q(user)
    if readable is None:
        return []
    # Hidden posts are never found, not even by their author.
    posts = (ranked(Post.objects.filter(readable, is_hidden=False), POST_DOCUMENT, query, "-created_at", "-id")
             .select_related("group", "group__ortsgemeinde")[:limit])
    results = []
    for post in posts:
        title, rest = headline(post.text)
        results.append(SearchResult(
            title=title,
            url=post.get_absolute_url(),
            kind_label=_("Group: %(name)s") % {"name": post.group.name},
            snippet=excerpt(rest, query),
            date=post.created_at,
            place=post.group.ortsgemeinde.name if post.group.ortsgemeinde_id else "",
            rank=float(post.rank),
        ))
    return results


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Matching groups, then matching posts, best first, at most `limit`; two queries."""
    results = _groups(query, limit) + _posts(request.user, query, limit)
    results.sort(key=lambda result: result.rank, reverse=True)
    return results[:limit]
