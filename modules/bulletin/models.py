"""The Mitteilungsblatt's tables: issues, their snapshotted items, subscribers and sent mails.

An issue's items are copies (title, short text, link, date, source), taken when the draft is made:
the editor shortens and orders them without touching the source, and a published issue stays what
was printed even if the source changes later.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MANUAL_SOURCE = "manual"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Issue(models.Model):
    """One issue, "Ausgabe 12/2026": numbered per year, a draft until the editor publishes it."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))  # inclusive
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to="bulletin/", blank=True)  # the printed version, made on publish
    # Every item's title and text, for the archive's full-text search (filled on publish).
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="bulletin_issue_number_uniq")]
        indexes = [GinIndex(SearchVector("search_text", config="german"), name="bulletin_issue_search_gin")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("bulletin-mitteilungsblatt:issue", kwargs={"year": self.year, "number": self.number})

    @property
    def label(self) -> str:
        return _("Issue %(number)s/%(year)s") % {"number": self.number, "year": self.year}

    @property
    def is_published(self) -> bool:
        return self.status == IssueStatus.PUBLISHED


class IssueItem(models.Model):
    """One item of an issue, copied from its source (or written by the editor: source "manual")."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    source_key = models.CharField(max_length=60)
    source_label = models.CharField(max_length=120, blank=True)
    uid = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("short text"), blank=True, max_length=2000)
    url = models.CharField(_("link"), max_length=500, blank=True)  # a path on the town's site, or a full address
    date = models.DateTimeField(_("date"), null=True, blank=True)
    all_day = models.BooleanField(default=False)
    ortsgemeinde_id = models.BigIntegerField(null=True, blank=True)  # None: the whole town
    position = models.PositiveIntegerField(_("position"), default=0)
    excluded = models.BooleanField(_("leave out"), default=False)
    # The source no longer has it (deleted, unpublished): left out on publish, shown to the editor.
    source_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "source_key", "uid"], name="bulletin_item_source_uniq")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_manual(self) -> bool:
        return self.source_key == MANUAL_SOURCE


class Subscription(models.Model):
    """A resident who gets every new issue by e-mail (to their account's address)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"subscription {self.pk}"


class Delivery(models.Model):
    """One issue mailed to one subscriber: made once on publish, so nobody gets an issue twice."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="bulletin_delivery_once")]

    def __str__(self) -> str:
        return f"delivery {self.pk}"
