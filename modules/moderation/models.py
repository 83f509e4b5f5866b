"""What the town's moderators work with: reports, cases (one per reported content), decisions with their
statement of reasons (DSA Art. 17), objections (Art. 20), suspensions, the word filter, the activity counter
for new accounts and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REPORT_TEXT_MAX_LENGTH = 2000
STATEMENT_MAX_LENGTH = 4000
TERM_MAX_LENGTH = 60


class ReportCategory(models.TextChoices):
    ILLEGAL = "illegal", _("Illegal content")
    INSULT = "insult", _("Insult or harassment")
    SPAM = "spam", _("Spam or advertising")
    FALSE_INFORMATION = "false_information", _("False information")
    OTHER = "other", _("Something else")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OBJECTION = "objection", _("Objection")
    CLOSED = "closed", _("Decided")


class Action(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the reports")
    HIDE = "hide", _("Hide the content")
    RESTORE = "restore", _("Restore the content")
    DELETE = "delete", _("Delete the content")
    WARN = "warn", _("Warn the author")
    SUSPEND = "suspend", _("Suspend the author")
    UPHOLD = "uphold", _("Uphold the decision")


class Ground(models.TextChoices):
    LAW = "law", _("Illegal under the law")
    TERMS = "terms", _("Against the town's terms of use")


class Case(models.Model):
    """One reported piece of content while moderators look at it: all its open reports are one queue item.

    ``excerpt``/``author_id``/``content_url`` are a snapshot taken when it was first reported, so the
    queue costs the same queries for 10 or 1,000 items and the evidence survives the content's deletion.
    """

    kind = models.CharField(_("kind"), max_length=80)
    object_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    excerpt = models.TextField(_("excerpt"), blank=True)
    content_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # Every new report on the same content joins the one case still being looked at.
            models.UniqueConstraint(fields=["kind", "object_id"], condition=Q(status="open"),
                                    name="moderation_one_open_case_per_content"),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"], name="moderation_case_queue_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class Report(models.Model):
    """A notice under DSA Art. 16: who reported what, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("reason"), max_length=20, choices=ReportCategory.choices)
    text = models.TextField(_("explanation"), max_length=REPORT_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_one_report_per_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.case})"



class Decision(models.Model):
    """What a moderator decided on a case, with the statement of reasons the author receives (DSA Art. 17)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    facts = models.TextField(_("facts and circumstances"), blank=True, max_length=STATEMENT_MAX_LENGTH)
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices, blank=True)
    ground_detail = models.TextField(_("legal provision or term of use"), blank=True, max_length=1000)
    suspension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    is_bulk = models.BooleanField(default=False)
    # False: the first decision, which the author may object to once; True: the decision on that objection.
    is_final = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["created_at", "id"]
        constraints = [
            # A double-submitted form or two moderators at once: the second insert fails.
            models.UniqueConstraint(fields=["case", "is_final"], name="moderation_one_decision_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.case})"



class Objection(models.Model):
    """The author's complaint against a decision (DSA Art. 20); one per decision."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="objection")
    text = models.TextField(_("objection"), max_length=REPORT_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"objection to decision {self.decision_id}"



class Suspension(models.Model):
    """A resident may not post, comment, write or found groups until ``ends_at``; it ends by itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="suspensions")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        indexes = [models.Index(fields=["user", "ends_at"], name="moderation_suspension_user_idx")]

    def __str__(self) -> str:
        return f"user {self.user_id} until {self.ends_at:%Y-%m-%d %H:%M}"



class BlockedTerm(models.Model):
    """One entry of the town's word filter, stored lower-case."""

    term = models.CharField(_("term"), max_length=TERM_MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocked terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term



class ActivityKind(models.TextChoices):
    POST = "post", _("post")
    COMMENT = "comment", _("comment")
    MESSAGE = "message", _("message")
    GROUP = "group", _("group")


class Activity(models.Model):
    """One post, comment, message or group a person created; counted for the new-account limits.

    Written in the caller's transaction: a rolled-back or retried request leaves no row behind.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=ActivityKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "action", "created_at"], name="moderation_activity_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.user_id}"



class AuditEntry(models.Model):
    """Every moderation action, for the town admin: who, when, what, on which content, why."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=20)
    kind = models.CharField(_("kind"), max_length=80, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    is_bulk = models.BooleanField(_("bulk action"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="moderation_audit_newest_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.kind}:{self.object_id}"
