"""Digitallotsen: volunteers the town appoints to help people in person (ISOLATION: every table is the town's)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lotse(models.Model):
    """A volunteer the town hall appointed; residents see their name, village and when to find them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ortsgemeinde = models.ForeignKey("town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    where_to_find = models.CharField(_("where and when to find you"), max_length=200, blank=True,
                                     help_text=_("For example “Tuesdays 10–12 in the Dorfgemeinschaftshaus”."))
    phone = models.CharField(_("phone for residents (optional)"), max_length=30, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Digitallotse")
        verbose_name_plural = _("Digitallotsen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.user)


class AssistedRegistration(models.Model):
    """A resident a Lotse registered in person, with the consent the person gave, and their sign-in letter.

    Only a hash of the letter's one-time code is kept: whoever reads the database can't sign in with it.
    """

    resident = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lotse = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    consent_text = models.TextField()
    consent_note = models.CharField(_("how the person agreed"), max_length=200, blank=True)
    consent_at = models.DateTimeField()
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_used_at = models.DateTimeField(null=True, blank=True)
    letters_printed = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.resident} ({self.consent_at:%Y-%m-%d})"


class HelpTopic(models.TextChoices):
    ACCOUNT = "account", _("Signing up or signing in")
    PHONE = "phone", _("My phone or computer")
    POSTING = "posting", _("Writing a post or a message")
    EVENTS = "events", _("Registering for an event")
    OTHER = "other", _("Something else")


class HelpRequest(models.Model):
    """"Ich brauche Hilfe mit …": anyone sends it (no account needed); a Lotse takes it and marks it done."""

    name = models.CharField(_("your name"), max_length=80)
    contact = models.CharField(_("phone or e-mail"), max_length=120)
    topic = models.CharField(_("help with"), max_length=20, choices=HelpTopic.choices, default=HelpTopic.OTHER)
    message = models.TextField(_("what you need"), max_length=1000, blank=True)
    ortsgemeinde = models.ForeignKey("town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_topic_display()}"


class AssistKind(models.TextChoices):
    REGISTERED = "registered", _("registered a resident")
    LETTER = "letter", _("printed a sign-in letter")
    POST = "post", _("posted on the Pinnwand for someone")
    EVENT = "event", _("registered someone for an event")
    HELPED = "helped", _("answered a help request")


class AssistedAction(models.Model):
    """What a Lotse did for someone, so the town's cockpit can count it (never what was written)."""

    lotse = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    kind = models.CharField(max_length=20, choices=AssistKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"
