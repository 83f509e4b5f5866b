"""Notifications: one row per resident and event, their channel choices, browser push subscriptions, urgent notices."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    """Where a notification stands on one channel (e-mail or push)."""

    NONE = "none", _("Not wanted")
    PENDING = "pending", _("To be sent")
    DEFERRED = "deferred", _("Waiting for the end of quiet hours")
    DIGEST = "digest", _("Waiting for the digest")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Read before it was sent")


class Notification(models.Model):
    """Something a resident should know about. Written only through modules.notifications.services."""

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("event"), max_length=80)  # e.g. "news.article", "notifications.urgent"
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # The same event never reaches the same person twice, however often the task runs.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.NONE)
    push_state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.NONE)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notifications_once_per_user"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notifications_unread_idx"),
            models.Index(fields=["dedupe_key"], name="notifications_dedupe_idx"),
            # Only the few rows still waiting for a channel are indexed.
            models.Index(fields=["email_state"], name="notifications_email_wait_idx",
                         condition=models.Q(email_state__in=["pending", "deferred", "digest"])),
            models.Index(fields=["push_state"], name="notifications_push_wait_idx",
                         condition=models.Q(push_state__in=["pending", "deferred"])),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailFrequency(models.TextChoices):
    INSTANT = "instant", _("Right away")
    DAILY = "daily", _("Once a day (digest)")
    WEEKLY = "weekly", _("Once a week (digest)")
    OFF = "off", _("Never")


class NotificationSettings(models.Model):
    """A resident's channel choices; a resident without a row has the defaults below."""

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_frequency = models.CharField(
        _("e-mails"), max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.INSTANT
    )
    quiet_hours = models.BooleanField(_("quiet hours"), default=True)
    quiet_start = models.TimeField(_("quiet from"), default=datetime.time(22, 0))
    quiet_end = models.TimeField(_("quiet until"), default=datetime.time(7, 0))
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_frequency}"


class TopicPreference(models.Model):
    """A resident's choice for one topic; without a row the topic's default applies (topics.TOPICS)."""

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=80)
    enabled = models.BooleanField(_("subscribed"), default=True)  # in-app, and the gate for every channel
    email = models.BooleanField(_("by e-mail"), default=True)
    push = models.BooleanField(_("as push notification"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="notifications_topic_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic}"


class PushSubscription(models.Model):
    """One browser (or installed app) that agreed to receive push messages for a resident."""

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The push service's URL for this browser; unique: a browser that signs in as someone else moves over.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)  # the browser's P-256 public key, base64url
    auth = models.CharField(max_length=100)  # the 16-byte auth secret, base64url
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.endpoint[:60]}"


class UrgentNotice(models.Model):
    """An official warning the town admin sent to every resident (or to some Ortsgemeinden)."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=1000)
    url = models.URLField(_("link for more information"), blank=True)
    ortsgemeinden = models.ManyToManyField(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinden"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("urgent notice")
        verbose_name_plural = _("urgent notices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notifications:urgent-detail", kwargs={"pk": self.pk})
