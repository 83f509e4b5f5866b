from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, FeedSource, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.board.conf import BoardSettingsForm
from modules.board.facts import WROTE_HERE
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import NotificationTopic


def _post_visible_to(pk: int, user: Any) -> bool:
    # A village post is for that village: the report page must not show it to anyone else.
    from modules.board.selectors import post_get_visible

    return post_get_visible(pk=pk, user=user) is not None


def _comment_visible_to(pk: int, user: Any) -> bool:
    from modules.board.selectors import comment_get_for

    return comment_get_for(pk=pk, user=user) is not None


def _sample_post() -> dict[str, Any]:
    """One town-wide post of the town's admin, for the isolation suite (made directly: no moderation round)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Role, User
    from modules.board.models import Post, Topic
    from modules.board.services import topics_seed

    topics_seed()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    post = Post.objects.create(
        author=admin, topic=Topic.objects.order_by("position").first(), text="Wer hat am Samstag Zeit?",
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {"pk": post.pk}


def _sample_comment() -> dict[str, Any]:
    from modules.board.models import Comment, Post

    post = Post.objects.get(pk=_sample_post()["pk"])
    return {"pk": Comment.objects.create(post=post, author=post.author, text="Ich komme gern.").pk}


def _sample_topic() -> dict[str, Any]:
    from modules.board.models import Topic

    return {"pk": Topic.objects.create(name="Isolationsthema", slug="isolationsthema").pk}


_POST_ROUTES = (
    "board:post-detail", "board:post-edit", "board:post-delete", "board:comment-create", "board:post-react",
    "board-api:post-detail", "board-api:comment-create",
)


class BoardConfig(FeatureModule):
    name = "modules.board"
    label = "board"
    verbose_name = _("Community board")

    spec = ModuleSpec(
        key="board",
        name=_("Community board"),
        description=_(
            "The Pinnwand: residents post short texts with photos in topics the town defines, for their "
            "Ortsgemeinde or the whole town; neighbours comment and react. Reported posts go to the moderators."
        ),
        pillar="Kommunikation",
        nav=(
            NavItem(_("Pinnwand"), "board:post-list", order=20),
            NavItem(_("Board topics"), "board:topic-manage", permission="moderator", order=20, backoffice=True),
        ),
        settings_form=BoardSettingsForm,
        requires=("moderation",),
        enabled_by_default=True,
        has_api=True,
        provides=(
            WROTE_HERE,
            # Posts past the town's lifetime leave the board within the hour.
            PeriodicTask(task="board.expire_posts", every_seconds=3600),
            FeedSource(items="modules.board.facade.feed_items"),
            NotificationTopic("board.posts", _("New posts on the community board"),
                              _("Posts on the Pinnwand for your Ortsgemeinde and for the whole town."),
                              # Off: anyone may post, many times a day; residents opt in if they want each one.
                              default_on=False, order=20),
            NotificationTopic("board.replies", _("Comments on your posts"),
                              _("When someone comments on what you posted on the Pinnwand or in a group."),
                              default_on=True, order=21),
            ModeratedContent(kind="board.post", label=_("Pinnwand post"), get="modules.board.facade.post_summary",
                             set_hidden="modules.board.facade.post_set_hidden",
                             delete="modules.board.facade.post_delete", visible_to=_post_visible_to),
            ModeratedContent(kind="board.comment", label=_("Pinnwand comment"),
                             get="modules.board.facade.comment_summary",
                             set_hidden="modules.board.facade.comment_set_hidden",
                             delete="modules.board.facade.comment_delete", visible_to=_comment_visible_to),
            SampleObject(create=_sample_post, url_names=_POST_ROUTES),
            SampleObject(create=_sample_comment, url_names=("board:comment-delete",)),
            SampleObject(create=_sample_topic, url_names=("board:topic-rename", "board:topic-delete")),
            PersonalData(key="board", export="modules.board.personal_data.export",
                         erase="modules.board.personal_data.erase",
                         stores=_("Your Pinnwand posts with photos, your comments and reactions."),
                         purpose=_("Let residents post offers, requests and news on the Pinnwand"),
                         categories=(_("Name and e-mail address"), _("Texts and photos the person publishes")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until it expires or the person deletes it; at the latest with the account"),
                         kept=(Kept(_("Comments in other people's threads, without a name"),
                                    _("Art. 6(1)(f) GDPR: the other people's interest in keeping the "
                                      "conversation they took part in"),
                                    _("Without a name for as long as the content it belongs to exists"),
                                    tables=("board_comment",)),)),
            SearchProvider(search="modules.board.search.search", label=_("Pinnwand"), order=20),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.board.services import topics_seed

        topics_seed()
