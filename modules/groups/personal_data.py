"""Groups (core.personal_data).

- groups.Membership
  export: group, role, notification switch
  erase: deleted; a group they were the last admin of gets its longest member as admin
- groups.Group they founded (``created_by``)
  export: name, date
  erase: kept, ``created_by`` cleared; deleted (with its photos) when no other member is left and no
    organisation runs it
- groups.JoinRequest they made
  export: group, message, status
  erase: deleted
- groups.JoinRequest they decided (``decided_by``)
  export: (not exported: the other person's request)
  erase: kept, ``decided_by`` cleared
- groups.Post (``author``)
  export: text, photo, dates
  erase: deleted with its photo (file after commit), and so the comments on it
- groups.Comment on someone else's post
  export: text, date
  erase: **kept, anonymised**: the thread stays readable; the author is the emptied account
"""

from __future__ import annotations

from typing import Any

from core.storage import delete_files_after_commit
from modules.groups.models import Comment, Group, JoinRequest, MemberRole, Membership, Post

_STORAGE = Post._meta.get_field("image").storage


def export(user: Any) -> dict[str, Any]:
    posts = list(Post.objects.filter(author=user).order_by("pk")
                 .values("id", "group__name", "text", "image", "image_alt", "created_at", "is_hidden"))
    return {
        "memberships": list(Membership.objects.filter(user=user).order_by("pk")
                            .values("group__name", "role", "notify_posts", "created_at")),
        "groups_founded": list(Group.objects.filter(created_by=user).order_by("pk").values("name", "created_at")),
        "join_requests": list(JoinRequest.objects.filter(user=user).order_by("pk")
                              .values("group__name", "message", "status", "created_at")),
        "posts": posts,
        "comments": list(Comment.objects.filter(author=user).order_by("pk")
                         .values("post_id", "text", "created_at", "is_hidden")),
        "files": [post["image"] for post in posts if post["image"]],
    }


def _hand_over_admin(user: Any) -> None:
    # A group must keep an admin (groups.services._protect_last_admin); the longest member takes over.
    for membership in Membership.objects.filter(user=user, role=MemberRole.ADMIN).select_related("group"):
        others = Membership.objects.filter(group=membership.group).exclude(user=user)
        if not others.filter(role=MemberRole.ADMIN).exists():
            successor = others.order_by("created_at", "pk").first()
            if successor is not None:
                successor.role = MemberRole.ADMIN
                successor.save(update_fields=["role"])


def erase(user: Any) -> None:
    _hand_over_admin(user)
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    JoinRequest.objects.filter(decided_by=user).update(decided_by=None)
    # An organisation's group is run by its managers, members or not: it stays.
    empty = Group.objects.filter(created_by=user, memberships__isnull=True, organisation__isnull=True)
    delete_files_after_commit(_STORAGE, list(
        Post.objects.filter(group__in=empty).exclude(image="").values_list("image", flat=True)))
    empty.delete()
    Group.objects.filter(created_by=user).update(created_by=None)
    delete_files_after_commit(_STORAGE, list(
        Post.objects.filter(author=user).exclude(image="").values_list("image", flat=True)))
    Post.objects.filter(author=user).delete()
