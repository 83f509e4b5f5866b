"""Groups: public and closed groups of residents (Vereine, neighbourhoods, interests), each with its own feed.

A public group's feed is readable by every signed-in resident; a closed group's
feed, members and posts exist only for its members (everyone else gets 404).
Texts are stored as the plain text people typed and escaped wherever shown.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
DESCRIPTION_MAX_LENGTH = 2000
POST_MAX_LENGTH = 3000
COMMENT_MAX_LENGTH = 1000
REQUEST_MESSAGE_MAX_LENGTH = 500
ALT_MAX_LENGTH = 250


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: every resident can read and join")
    CLOSED = "closed", _("Closed: only members can read; joining needs approval")


class Group(models.Model):
    """A group of residents. Written only through modules.groups.services."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=90, unique=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    # The managers of an owning organisation administer the group without being members.
    organisation = models.ForeignKey(
        "town.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        # The site-wide search (modules/groups/search.py) filters on exactly this expression.
        indexes = [GinIndex(SearchVector("name", "description", config="german"), name="groups_group_search_gin")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:group-detail", kwargs={"slug": self.slug})

    @property
    def is_closed(self) -> bool:
        return self.visibility == Visibility.CLOSED


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Group admin")


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    # Notifications about new posts in the group; on when joining, switched on the group page.
    notify_posts = models.BooleanField(_("notify me about new posts"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="groups_one_membership_per_user")]
        indexes = [models.Index(fields=["user", "group"], name="groups_membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == MemberRole.ADMIN


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """Somebody asking to join a closed group; the group's admins approve or decline."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message to the group admins"), blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=models.Q(status="pending"), name="groups_one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks to join {self.group_id} ({self.status})"


class Post(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"))  # plain text, escaped on output
    image = models.ImageField(_("photo"), upload_to="groups/", blank=True)
    image_alt = models.CharField(_("photo description"), max_length=ALT_MAX_LENGTH, blank=True)
    # Hidden by the town's moderators: shown to its author only.
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("group post")
        verbose_name_plural = _("group posts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["group", "-created_at"], name="groups_post_feed_idx"),
            # The site-wide search (modules/groups/search.py) filters on exactly this expression.
            GinIndex(SearchVector("text", config="german"), name="groups_post_search_gin"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("groups:post-detail", kwargs={"slug": self.group.slug, "post_id": self.pk})


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("group comment")
        verbose_name_plural = _("group comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
