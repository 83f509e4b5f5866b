"""Umfragen: polls with questions, and the votes cast on them.

Vote secrecy by design. Who voted and what was voted live in two tables that share
nothing but the poll:

- ``Participation`` (poll, user, day): that a person took part, which keeps them from
  voting twice.
- ``Ballot`` (poll, day, receipt hash) with its ``BallotAnswer`` rows: what was voted.

A ballot carries no user, no time finer than the day, and a random UUID as its key,
so neither a column, nor the order of ids, nor a timestamp joins it to a participation.
Participations have random keys and only a day too: their order can't be lined up with
the ballots' either. Where a poll lets people change their vote, the voter keeps a
receipt token (a code, and a signed cookie in their browser); the ballot stores only
its SHA-256 hash, so only the token's holder can find the ballot again.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200
TEXT_ANSWER_MAX_LENGTH = 1000
RATING_MIN, RATING_MAX = 1, 5


def _poll_key() -> str:
    # The address of a poll; for "everyone with the link" polls it is the secret that opens them.
    return secrets.token_urlsafe(9)


class Audience(models.TextChoices):
    TOWN = "town", _("All residents of the town")
    ORTSGEMEINDE = "ortsgemeinde", _("Residents of one Ortsgemeinde")
    LINK = "link", _("Everyone with the link (not verified)")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("While the poll is open")
    AFTER_CLOSE = "after_close", _("Only after the poll has closed")


class Poll(models.Model):
    key = models.CharField(max_length=20, unique=True, default=_poll_key, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    audience = models.CharField(_("who may vote"), max_length=20, choices=Audience.choices, default=Audience.TOWN)
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    results_visibility = models.CharField(
        _("results visible"), max_length=20, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )
    allow_change = models.BooleanField(_("voters may change their vote until it closes"), default=False)
    is_published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-id"]
        indexes = [
            GinIndex(SearchVector("title", "description", config="german"), name="polls_poll_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:poll-detail", kwargs={"key": self.key})

    def is_open(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at  # type: ignore[operator]

    def is_closed(self, now: object = None) -> bool:
        return self.closes_at <= (now or timezone.now())  # type: ignore[operator]

    @property
    def is_unverified(self) -> bool:
        return self.audience == Audience.LINK


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating from 1 to 5")
    TEXT = "text", _("Free text")


class Question(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """That ``user`` took part in ``poll`` (never what they voted). One per person and poll."""

    # Random, like the ballot's: sequential keys on both sides would line up by order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="polls_one_participation")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.poll_id}"


class Ballot(models.Model):
    """What one voter answered. No user, no time finer than the day, a random key (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    day = models.DateField()
    # SHA-256 of the voter's receipt token, only for polls whose votes may be changed.
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return str(self.id)


class BallotAnswer(models.Model):
    """One answer on a ballot: an option chosen, a rating, or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_ANSWER_MAX_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["question", "option"], name="polls_answer_count_idx")]

    def __str__(self) -> str:
        return str(self.id)
