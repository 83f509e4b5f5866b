"""Reads for groups. Who may see what is decided once per request in `group_access`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.audience import audience_fact
from core.names import display_name as display_name
from modules.groups.facts import TAKES_PART
from modules.groups.models import Comment, Group, JoinRequest, MemberRole, Membership, Post, RequestStatus
from town.models import MembershipRole, OrganisationMembership


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class GroupAccess:
    """What one person may do in one group."""

    membership: Membership | None
    is_admin: bool  # a group admin, a manager of the owning organisation, or a town moderator/admin
    can_read: bool  # feed, posts and members
    can_post: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None


NO_ACCESS = GroupAccess(membership=None, is_admin=False, can_read=False, can_post=False)


def user_manages_organisation(user: Any, organisation_id: int | None) -> bool:
    if organisation_id is None or not _active(user):
        return False
    return OrganisationMembership.objects.filter(
        user=user, organisation_id=organisation_id, organisation__is_approved=True, role=MembershipRole.MANAGER
    ).exists()


def group_access(*, user: Any, group: Group) -> GroupAccess:
    """At most two queries: the membership, and (only when needed) the organisation's managers."""
    if not _active(user):
        return NO_ACCESS
    membership = Membership.objects.filter(group=group, user=user).first()
    is_admin = bool(
        user.is_moderator
        or (membership is not None and membership.is_admin)
        or user_manages_organisation(user, group.organisation_id)
    )
    can_read = is_admin or membership is not None or not group.is_closed
    return GroupAccess(membership=membership, is_admin=is_admin, can_read=can_read,
                       can_post=is_admin or membership is not None)


def group_list(*, search: str | None = None, ortsgemeinde_id: int | None = None) -> QuerySet[Group]:
    qs = (
        Group.objects.select_related("organisation", "ortsgemeinde")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "id")
    )
    if search and search.strip():
        qs = qs.filter(name__icontains=search.strip())
    if ortsgemeinde_id is not None:
        qs = qs.filter(ortsgemeinde_id=ortsgemeinde_id)
    return qs


def group_get(*, slug: str) -> Group | None:
    return (
        Group.objects.select_related("organisation", "ortsgemeinde")
        .annotate(member_count=Count("memberships"))
        .filter(slug=slug)
        .first()
    )


def takes_part_fact(user: Any) -> str | None:
    """None when `user` is a member of a group or wrote in one (their groups pages are their own), else ""."""
    member = Membership.objects.filter(user_id=user.pk).values("pk")
    wrote = Post.objects.filter(author_id=user.pk).values("pk")
    commented = Comment.objects.filter(author_id=user.pk).values("pk")
    return None if member.union(wrote, commented).exists() else ""


def _takes_part(user: Any) -> bool:
    return _active(user) and audience_fact(user, TAKES_PART) is None


def group_ids_of_member(*, user: Any) -> set[int]:
    if not _takes_part(user):
        return set()
    return set(Membership.objects.filter(user=user).values_list("group_id", flat=True))


def _visible_to(user: Any) -> Q:
    # Hidden content stays visible to its own author only.
    if not _takes_part(user):
        return Q(is_hidden=False)
    return Q(is_hidden=False) | Q(author_id=user.pk)


def post_list_visible(*, group: Group, user: Any) -> QuerySet[Post]:
    visible_comments = Q(comments__is_hidden=False) | Q(comments__author_id=getattr(user, "pk", None))
    return (
        Post.objects.filter(_visible_to(user), group=group)
        .select_related("author", "group")
        .annotate(comment_count=Count("comments", filter=visible_comments))
        .order_by("-created_at", "-id")
    )


def post_get_visible(*, group: Group, post_id: int, user: Any) -> Post | None:
    return (
        Post.objects.filter(_visible_to(user), group=group, pk=post_id)
        .select_related("author", "group")
        .first()
    )


def comment_list_visible(*, post: Post, user: Any) -> QuerySet[Comment]:
    return Comment.objects.filter(_visible_to(user), post=post).select_related("author").order_by("created_at", "id")


def comment_get_visible(*, group: Group, comment_id: int, user: Any) -> Comment | None:
    return (
        Comment.objects.filter(_visible_to(user), pk=comment_id, post__group=group)
        .filter(Q(post__is_hidden=False) | Q(post__author_id=getattr(user, "pk", None)))
        .select_related("author", "post", "post__group")
        .first()
    )


def member_list(*, group: Group) -> QuerySet[Membership]:
    # "admin" sorts before "member": the admins come first.
    return Membership.objects.filter(group=group).select_related("user").order_by("role", "created_at", "id")


def membership_get(*, group: Group, membership_id: int) -> Membership | None:
    return Membership.objects.filter(group=group, pk=membership_id).select_related("user", "group").first()


def join_request_list_pending(*, group: Group) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(group=group, status=RequestStatus.PENDING).select_related("user")


def join_request_get_pending(*, group: Group, request_id: int) -> JoinRequest | None:
    return (
        JoinRequest.objects.filter(group=group, pk=request_id, status=RequestStatus.PENDING)
        .select_related("user", "group")
        .first()
    )


def join_request_of(*, group: Group, user: Any) -> JoinRequest | None:
    if not _active(user):
        return None
    return JoinRequest.objects.filter(group=group, user=user, status=RequestStatus.PENDING).first()


def feed_posts(*, user: Any, limit: int) -> list[Post]:
    """The newest visible posts in the groups `user` belongs to: one query, whatever the number of posts."""
    if not _active(user) or limit <= 0:
        return []
    member = Membership.objects.filter(group_id=OuterRef("group_id"), user=user)
    return list(
        Post.objects.filter(Exists(member), is_hidden=False)
        .select_related("author", "group", "group__ortsgemeinde")
        .order_by("-created_at", "-id")[:limit]
    )


def admin_user_ids_query(group: Group) -> QuerySet[Any]:
    """The people who administer `group` (group admins and the owning organisation's managers), as one query."""
    from accounts.models import User

    admins = Membership.objects.filter(group=group, role=MemberRole.ADMIN).values("user_id")
    condition = Q(pk__in=admins)
    if group.organisation_id is not None:
        managers = OrganisationMembership.objects.filter(
            organisation_id=group.organisation_id, role=MembershipRole.MANAGER
        ).values("user_id")
        condition |= Q(pk__in=managers)
    return User.objects.filter(condition, is_active=True).values_list("pk", flat=True)
