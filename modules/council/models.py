"""Digitaler Rat & Gremien.

Two halves that share the council pages:

- the **Digitaler Rat**, the town's own standing body of residents, Vereine, youth and businesses:
  members with seats and terms, meetings with an agenda (items may come from Vorschläge), documents
  and minutes (public or for members only), and recommendations the members vote on, whose follow-up
  everyone can see;
- a read-only mirror of the town's **Ratsinformationssystem** (OParl 1.1): bodies, Gremien, people and
  their memberships, meetings with agenda items, papers (Vorlagen) and their files, kept current by a
  periodic task (``modules.council.oparl`` reads, ``services.oparl_sync`` writes).

Mirrored rows are keyed by their OParl ``id`` (a URL), so a sync updates rather than duplicates.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20000
OPARL_ID_MAX_LENGTH = 500

# --- the Digitaler Rat -------------------------------------------------------------------------------


class MemberGroup(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    CLUB = "club", _("Clubs")
    YOUTH = "youth", _("Youth")
    BUSINESS = "business", _("Businesses")
    OTHER = "other", _("Other")


class Member(models.Model):
    """A seat in the Digitaler Rat for a term; the account signs in to the members' area and votes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(_("name shown"), max_length=150)
    group = models.CharField(_("represents"), max_length=20, choices=MemberGroup.choices,
                             default=MemberGroup.RESIDENT)
    seat = models.CharField(_("seat"), max_length=150, blank=True)  # e.g. "Sitz der Jugend Elkenroth"
    is_chair = models.BooleanField(_("chairs the council"), default=False)
    term_start = models.DateField(_("term begins"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["-is_chair", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    starts_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public meeting"), default=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    minutes = models.TextField(_("minutes"), blank=True, max_length=TEXT_MAX_LENGTH)
    minutes_public = models.BooleanField(_("minutes are public"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"], name="council_meeting_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:meeting-detail", kwargs={"pk": self.pk})


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    is_public = models.BooleanField(_("public item"), default=True)
    # A Vorschlag the item discusses (modules.proposals, read through its facade): an id, no FK, so
    # the council works without the proposals module.
    proposal_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    """A text the council keeps with a meeting: a draft, a statement, a presentation's summary."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)
    link = models.URLField(_("link"), blank=True, max_length=500)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:document-detail", kwargs={"pk": self.pk})


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Being discussed")
    VOTING = "voting", _("Members are voting")
    ADOPTED = "adopted", _("Recommended by the council")
    NOT_ADOPTED = "not_adopted", _("Not recommended")
    SUBMITTED = "submitted", _("Passed to the Gemeinderat")
    IN_PROGRESS = "in_progress", _("Being carried out")
    DONE = "done", _("Carried out")
    DECLINED = "declined", _("Declined by the Gemeinderat")


FOLLOW_UP_STATUSES = (RecommendationStatus.SUBMITTED, RecommendationStatus.IN_PROGRESS,
                      RecommendationStatus.DONE, RecommendationStatus.DECLINED)


class Recommendation(models.Model):
    """What the Digitaler Rat recommends to the Gemeinderat, after a vote of its members."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="recommendations")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="recommendations")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("recommendation"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.DRAFT)
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    abstain_count = models.PositiveIntegerField(default=0)
    follow_up = models.TextField(_("what happened since"), blank=True, max_length=TEXT_MAX_LENGTH)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [GinIndex(SearchVector("title", "text", config="german"), name="council_reco_search_gin")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:recommendation-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status != RecommendationStatus.DRAFT


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class RecommendationVote(models.Model):
    """A member's vote on a recommendation (open, as in any council: the count is public, the names not)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recommendation", "member"], name="council_one_vote")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


# --- the Ratsinformationssystem (OParl 1.1 mirror) ---------------------------------------------------


class OparlObject(models.Model):
    oparl_id = models.CharField(max_length=OPARL_ID_MAX_LENGTH, unique=True)
    web = models.URLField(max_length=OPARL_ID_MAX_LENGTH, blank=True)  # the object's page in the RIS
    modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class OparlBody(OparlObject):
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.short_name or self.name


class OparlOrganization(OparlObject):
    body = models.ForeignKey(OparlBody, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=100, blank=True)
    organization_type = models.CharField(max_length=100, blank=True)  # Gremium, Fraktion ...
    classification = models.CharField(max_length=100, blank=True)  # Rat, Ausschuss ...
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:ris-organization", kwargs={"pk": self.pk})


class OparlPerson(OparlObject):
    body = models.ForeignKey(OparlBody, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OparlMembership(OparlObject):
    person = models.ForeignKey(OparlPerson, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(OparlOrganization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=200, blank=True)
    voting_right = models.BooleanField(default=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.organization_id}"


class OparlMeeting(OparlObject):
    body = models.ForeignKey(OparlBody, on_delete=models.CASCADE, related_name="meetings")
    name = models.CharField(max_length=500)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=500, blank=True)
    cancelled = models.BooleanField(default=False)
    organizations = models.ManyToManyField(OparlOrganization, related_name="meetings", blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["start"], name="council_oparl_meeting_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:ris-meeting", kwargs={"pk": self.pk})


class OparlPaper(OparlObject):
    body = models.ForeignKey(OparlBody, on_delete=models.CASCADE, related_name="papers")
    name = models.CharField(max_length=1000)
    reference = models.CharField(max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    paper_type = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [GinIndex(SearchVector("name", "reference", config="german"), name="council_paper_search_gin")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:ris-paper", kwargs={"pk": self.pk})


class OparlAgendaItem(OparlObject):
    meeting = models.ForeignKey(OparlMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=50, blank=True)
    order = models.IntegerField(default=0)
    name = models.CharField(max_length=1000)
    public = models.BooleanField(default=True)
    result = models.CharField(max_length=300, blank=True)
    resolution_text = models.TextField(blank=True)
    # From the paper's consultations (OParl links paper -> agenda item, not the other way).
    paper = models.ForeignKey(OparlPaper, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="agenda_items")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class OparlFile(OparlObject):
    """A document in the RIS: linked (accessUrl), never downloaded by the platform."""

    # Not unique: one file may be a meeting's invitation and a paper's attachment at once.
    oparl_id = models.CharField(max_length=OPARL_ID_MAX_LENGTH)
    meeting = models.ForeignKey(OparlMeeting, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    paper = models.ForeignKey(OparlPaper, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=30)  # invitation, resultsProtocol, mainFile, auxiliaryFile ...
    name = models.CharField(max_length=500)
    mime_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    access_url = models.URLField(max_length=OPARL_ID_MAX_LENGTH)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SyncState(models.Model):
    """The town's last RIS sync: when it last worked, what went wrong since, and the incremental mark."""

    endpoint = models.URLField(max_length=OPARL_ID_MAX_LENGTH, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The moment the last full or incremental sync began: the next one asks for modified_since this.
    modified_since = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    objects_seen = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.endpoint
