"""Messages: private conversations between two to eight residents of the same town.

Written only through modules.conversations.services (permissions, blocks, abuse checks,
notifications). Moderators never read a conversation; they see one reported message
through the moderation module's ContentSummary.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    """A conversation; its people are its Participant rows."""

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    # "<smaller user id>-<larger user id>" for a one-to-one conversation, so the same two
    # people always meet in the same one; NULL for a group.
    direct_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest message's time: the conversation list sorts by it.
    last_message_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("conversations:conversation-detail", kwargs={"pk": self.pk})

    @property
    def is_direct(self) -> bool:
        return self.direct_key is not None


class Participant(models.Model):
    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    # Everything up to this message id counts as read (0: nothing read yet).
    last_read_message_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversations_participant_once"),
        ]
        indexes = [models.Index(fields=["user", "conversation"], name="conversations_participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in #{self.conversation_id}"


class Message(models.Model):
    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"))  # plain text as typed; escaped wherever it is shown
    # Where the message was started from, e.g. "Suche & Biete: Kinderwagen" (plain text).
    context_label = models.CharField(_("about"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Hidden by the town's moderators: shown as such to everyone but its sender.
    is_hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"], name="conversations_message_order")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked person")
        verbose_name_plural = _("blocked people")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="conversations_block_once"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="conversations_block_other"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
