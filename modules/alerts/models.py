"""Warnings & Bekanntmachungen: official warnings polled from NINA, and the town's own official notices."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    """Where NINA got a warning from (the dashboard's ``payload.data.provider``)."""

    MOWAS = "MOWAS", _("Civil protection (MoWaS)")
    KATWARN = "KATWARN", _("Civil protection (KATWARN)")
    BIWAPP = "BIWAPP", _("Civil protection (BIWAPP)")
    POLICE = "POLICE", _("Police")
    DWD = "DWD", _("Weather (German Weather Service)")
    LHP = "LHP", _("Flood (flood centres of the Länder)")
    OTHER = "OTHER", _("Other")


class Severity(models.TextChoices):
    """CAP severities, most severe first; the banner names them in words, not only in colour."""

    EXTREME = "Extreme", _("Extreme danger")
    SEVERE = "Severe", _("Severe danger")
    MODERATE = "Moderate", _("Danger")
    MINOR = "Minor", _("Notice")
    UNKNOWN = "Unknown", _("Warning")


SEVERITY_RANK = {Severity.EXTREME: 0, Severity.SEVERE: 1, Severity.MODERATE: 2, Severity.MINOR: 3,
                 Severity.UNKNOWN: 4}


class OfficialWarning(models.Model):
    """A warning NINA currently lists for the town's county; written only by services.warnings_poll."""

    identifier = models.CharField(_("identifier"), max_length=200, unique=True)  # e.g. "mow.DE-RP-..."
    version = models.PositiveIntegerField(_("version"), default=1)
    provider = models.CharField(_("source"), max_length=10, choices=Provider.choices, default=Provider.OTHER)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.UNKNOWN)
    msg_type = models.CharField(_("kind of message"), max_length=10, default="Alert")  # Alert or Update
    headline = models.CharField(_("headline"), max_length=300)
    description = models.TextField(_("description"), blank=True)  # plain text; NINA's <br/> became line breaks
    instruction = models.TextField(_("what to do"), blank=True)
    area = models.TextField(_("area"), blank=True)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    web = models.URLField(_("more information"), max_length=500, blank=True)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    expires = models.DateTimeField(_("valid until"), null=True, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when NINA no longer lists it (withdrawn, all-clear): off the banner, but a resident who follows
    # the link of an earlier notification still learns that it is over. Purged after WITHDRAWN_KEEP_DAYS.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("official warning")
        verbose_name_plural = _("official warnings")
        ordering = ["-sent", "-id"]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerts:warning-detail", kwargs={"warning_id": self.pk})


class WarningDispatch(models.Model):
    """One row per warning and version that was announced to residents.

    The unique constraint is what makes "exactly once" hold when beat fires twice or a
    task is delivered again: only the poll that inserts the row notifies.
    """

    identifier = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["identifier", "version"], name="alerts_dispatch_once")]

    def __str__(self) -> str:
        return f"{self.identifier} v{self.version}"


class PollState(models.Model):
    """The town's one row about its last NINA poll: when it last worked, and what went wrong since."""

    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # German, for the town admin; "" when fine
    region_key = models.CharField(max_length=12, blank=True)  # the ARS the last good state is for

    def __str__(self) -> str:
        return f"NINA {self.region_key or '-'}: {self.last_success_at}"


class NoticeKind(models.TextChoices):
    ROAD = "road", _("Road closure")
    WATER = "water", _("Water supply")
    COUNCIL = "council", _("Council meeting")
    OTHER = "other", _("Other notice")


class Notice(models.Model):
    """A Bekanntmachung: an official notice of the town, shown until its validity ends."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    body = models.TextField(_("text"))  # plain text; line breaks kept on the page
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("place or street"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("official notice")
        verbose_name_plural = _("official notices")
        ordering = ["valid_from", "-id"]
        indexes = [
            models.Index(fields=["valid_until"], name="alerts_notice_valid_idx"),
            GinIndex(SearchVector("title", "body", "place", config="german"), name="alerts_notice_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerts:notice-detail", kwargs={"pk": self.pk})

    @property
    def is_current(self) -> bool:
        return self.valid_until >= timezone.localdate()

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def calendar_end(self) -> datetime.date:
        return self.valid_until + datetime.timedelta(days=1)
