from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.modules import (
    ContentSummary,
    FeatureModule,
    FeedItem,
    FeedSource,
    ModeratedContent,
    ModuleSpec,
    NavItem,
    SampleObject,
)


def _feed_items(request: HttpRequest, limit: int) -> Sequence[FeedItem]:
    from modules.groups.feed import feed_items

    return feed_items(request, limit)


def _post_summary(pk: int) -> ContentSummary | None:
    from modules.groups.feed import post_summary

    return post_summary(pk)


def _comment_summary(pk: int) -> ContentSummary | None:
    from modules.groups.feed import comment_summary

    return comment_summary(pk)


def _post_visible_to(pk: int, user: Any) -> bool:
    # A closed group's posts are for its members: the report page must not show them to anyone else.
    from modules.groups.models import Post
    from modules.groups.selectors import group_access, post_get_visible

    post = Post.objects.select_related("group").filter(pk=pk).first()
    if post is None or not group_access(user=user, group=post.group).can_read:
        return False
    return post_get_visible(group=post.group, post_id=pk, user=user) is not None


def _comment_visible_to(pk: int, user: Any) -> bool:
    from modules.groups.models import Comment
    from modules.groups.selectors import comment_get_visible, group_access

    comment = Comment.objects.select_related("post__group").filter(pk=pk).first()
    if comment is None or not group_access(user=user, group=comment.post.group).can_read:
        return False
    return comment_get_visible(group=comment.post.group, comment_id=pk, user=user) is not None


def _set_hidden(model_name: str):
    def set_hidden(pk: int, hidden: bool) -> None:
        from modules.groups import models, services

        services.content_set_hidden(model=getattr(models, model_name), pk=pk, hidden=hidden)

    return set_hidden


def _delete(model_name: str):
    def delete(pk: int) -> None:
        from modules.groups import models, services

        services.content_delete(model=getattr(models, model_name), pk=pk)

    return delete


def _sample_group() -> dict[str, Any]:
    """A closed group of the town's admin with a member, a pending request, a post and a comment.

    Made with the models directly: the isolation suite needs the rows, not the
    moderation checks (which limit brand-new accounts) or notifications.
    """
    from accounts.models import Role, User
    from modules.groups.models import Comment, Group, JoinRequest, MemberRole, Membership, Post, Visibility

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    member = User.objects.create_user(email="gruppenmitglied-iso@example.org", name="Gina Glied", password="x" * 12)
    asking = User.objects.create_user(email="gruppenanfrage-iso@example.org", name="Anton Frage", password="x" * 12)
    group = Group.objects.create(name="Nachbarschaft Isolationsweg", slug="nachbarschaft-isolationsweg",
                                 visibility=Visibility.CLOSED, created_by=admin)
    Membership.objects.create(group=group, user=admin, role=MemberRole.ADMIN)
    membership = Membership.objects.create(group=group, user=member)
    join_request = JoinRequest.objects.create(group=group, user=asking, message="Ich wohne nebenan.")
    post = Post.objects.create(group=group, author=admin, text="Straßenfest am Samstag")
    comment = Comment.objects.create(post=post, author=admin, text="Ich bringe Kuchen mit.")
    return {"slug": group.slug, "post_id": post.pk, "comment_id": comment.pk,
            "membership_id": membership.pk, "request_id": join_request.pk}


class GroupsConfig(FeatureModule):
    name = "modules.groups"
    label = "groups"
    verbose_name = _("Groups")

    spec = ModuleSpec(
        key="groups",
        name=_("Groups"),
        description=_(
            "Public and closed groups for clubs, neighbourhoods and interests, each with its own feed of "
            "posts and comments; organisations of the town can run their own groups."
        ),
        pillar="Kommunikation",
        nav=(NavItem(_("Groups"), "groups:group-list", order=25),),
        enabled_by_default=True,
        has_api=True,
        requires=("moderation",),
        feed=FeedSource(items=_feed_items),
        moderated_content=(
            ModeratedContent(kind="groups.post", label=_("Group post"), get=_post_summary,
                             set_hidden=_set_hidden("Post"), delete=_delete("Post"), visible_to=_post_visible_to),
            ModeratedContent(kind="groups.comment", label=_("Comment in a group"), get=_comment_summary,
                             set_hidden=_set_hidden("Comment"), delete=_delete("Comment"),
                             visible_to=_comment_visible_to),
        ),
        sample_objects=(SampleObject(create=_sample_group),),
    )
