"""Pinnwand: short posts of residents, with photos, comments and reactions.

A post is either for its author's Ortsgemeinde (``ortsgemeinde`` set) or for
the whole town (``ortsgemeinde`` null). Texts are stored as typed (plain text)
and escaped wherever they are shown.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term

TEXT_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
MAX_PHOTOS = 4
ALT_MAX_LENGTH = 200


class Topic(Term):
    """A topic the town defines (Plausch, Hilfe, Fundsachen ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("board topic")
        verbose_name_plural = _("board topics")


class Post(models.Model):
    """One post on the board. Written only through modules.board.services."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="posts")
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    # Null: for the whole town. A village post goes with its village: it must never widen to the whole town.
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(_("visible until"))
    is_expired = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)  # by the moderators; the author still sees it
    # A Digitallotse who typed the post in for its author, with the author's consent: shown on the post.
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["is_expired", "is_hidden", "-created_at"], name="board_post_visible_idx"),
            # The site-wide search (modules/board/search.py) filters on exactly this expression.
            GinIndex(SearchVector("text", config="german"), name="board_post_search_gin"),
        ]

    def __str__(self) -> str:
        return self.text[:50]

    def get_absolute_url(self) -> str:
        return reverse("board:post-detail", kwargs={"pk": self.pk})


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="board/")
    alt = models.CharField(_("photo description"), max_length=ALT_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    is_hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ReactionKind(models.TextChoices):
    THANKS = "thanks", _("Thanks")
    LIKE = "like", _("I like this")
    JOIN = "join", _("Count me in")


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="board_one_reaction_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"
