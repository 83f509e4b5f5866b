"""Vorschläge: residents propose, neighbours support, and past the town's threshold the town answers in public.

Accepted proposals carry progress steps with dates until they are done (accountability).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 4000
COMMENT_MAX_LENGTH = 1000
ALT_MAX_LENGTH = 200


class Category(Term):
    """A category the town defines (Verkehr, Spielplätze ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("proposal category")
        verbose_name_plural = _("proposal categories")


class Status(models.TextChoices):
    COLLECTING = "collecting", _("Collecting support")
    AWAITING = "awaiting", _("Waiting for the town's answer")
    ACCEPTED = "accepted", _("Accepted")
    IN_REVIEW = "in_review", _("Being examined")
    REFERRED = "referred", _("Referred to the council")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Carried out")


# What the town may answer, and which of them need a reason.
ANSWER_STATUSES = (Status.ACCEPTED, Status.IN_REVIEW, Status.REFERRED, Status.REJECTED)


class Proposal(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("your proposal"), max_length=TEXT_MAX_LENGTH)
    # Null: for the whole town.
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="proposals")
    image = models.ImageField(_("photo"), upload_to="proposals/", blank=True)
    image_alt = models.CharField(_("photo description"), max_length=ALT_MAX_LENGTH, blank=True)
    # Fixed when the proposal is made, so it doesn't move while neighbours collect support.
    threshold = models.PositiveIntegerField()
    support_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COLLECTING)
    answer = models.TextField(_("answer of the town"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)  # by the moderators
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        indexes = [
            GinIndex(SearchVector("title", "text", config="german"), name="proposals_search_gin"),
            models.Index(fields=["status", "-created_at"], name="proposals_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal-detail", kwargs={"pk": self.pk})

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.support_count / self.threshold)) if self.threshold else 100

    @property
    def is_answered(self) -> bool:
        return self.status in (*ANSWER_STATUSES, Status.DONE)


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposals_one_support")]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    is_hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ProgressStep(models.Model):
    """A step towards doing an accepted proposal: what, when, done or planned."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=200)
    date = models.DateField(_("date"))
    is_done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.title
