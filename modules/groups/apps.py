from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, FeedSource, ModuleSpec, NavItem, SampleObject
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.groups.facts import TAKES_PART
from modules.moderation.capabilities import ModeratedContent


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
        provides=(
            TAKES_PART,
            FeedSource(items="modules.groups.feed.feed_items"),
            ModeratedContent(kind="groups.post", label=_("Group post"), get="modules.groups.feed.post_summary",
                             set_hidden="modules.groups.services.moderation_post_set_hidden",
                             delete="modules.groups.services.moderation_post_delete", visible_to=_post_visible_to),
            ModeratedContent(kind="groups.comment", label=_("Comment in a group"),
                             get="modules.groups.feed.comment_summary",
                             set_hidden="modules.groups.services.moderation_comment_set_hidden",
                             delete="modules.groups.services.moderation_comment_delete",
                             visible_to=_comment_visible_to),
            SampleObject(create=_sample_group),
            PersonalData(key="groups", export="modules.groups.personal_data.export",
                         erase="modules.groups.personal_data.erase",
                         stores=_("Your group memberships, join requests, posts and comments."),
                         purpose=_("Let residents meet in groups and post there"),
                         categories=(_("Name and e-mail address"), _("Texts and photos the person publishes")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Comments in other people's threads, without a name"),
                                    _("Art. 6(1)(f) GDPR: the other people's interest in keeping the "
                                      "conversation they took part in"),
                                    _("Without a name for as long as the content it belongs to exists"),
                                    tables=("groups_comment",)),)),
            SearchProvider(search="modules.groups.search.search", label=_("Groups"), order=50),
        ),
    )
