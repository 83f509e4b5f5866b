"""Mängelmelder: categories (the town's service list), reports, their photos, history, notes and followers,
and the Open311 API keys the town admin issues."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term

DEFAULT_DUPLICATE_DISTANCE_M = 50
DEFAULT_TARGET_DAYS = 14


class Department(models.TextChoices):
    BAUHOF = "bauhof", _("Bauhof")
    ORDNUNGSAMT = "ordnungsamt", _("Ordnungsamt")
    VERWALTUNG = "verwaltung", _("Verwaltung")


class Category(Term):
    """A kind of problem residents can report (Straßenbeleuchtung, Schlagloch ...); an Open311 service.

    The slug is the Open311 service_code, so it never changes once apps know it.
    """

    description = models.CharField(_("description"), max_length=300, blank=True)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices,
                                  default=Department.BAUHOF)
    duplicate_distance_m = models.PositiveIntegerField(
        _("distance for possible duplicates (metres)"), default=DEFAULT_DUPLICATE_DISTANCE_M)
    target_days = models.PositiveSmallIntegerField(_("days to get it done"), default=DEFAULT_TARGET_DAYS)
    # Set both to send every new report of this kind on to a body outside the town (Kreis, LBM, Versorger).
    forward_email = models.EmailField(_("forward to e-mail address"), blank=True)
    forward_body = models.CharField(_("forward to (name of the body)"), max_length=120, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")

    @property
    def forwards(self) -> bool:
        return bool(self.forward_email and self.forward_body)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_RESPONSIBLE = "not_responsible", _("Not our responsibility")
    FORWARDED = "forwarded", _("Forwarded")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED)
CLOSED_STATUSES = (Status.DONE, Status.NOT_RESPONSIBLE)


class Source(models.TextChoices):
    WEB = "web", _("Website")
    OPEN311 = "open311", _("Open311 app")


class Report(models.Model):
    """One reported problem at one place. Written only through modules.reports.services."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="reports")
    description = models.TextField(_("description"), max_length=2000)
    # Empty when the resident typed an address instead of placing a pin (streets have no coordinates).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    ortsgemeinde = models.ForeignKey("town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    public_answer = models.TextField(_("answer of the town"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # For staff only (and for anonymous reporters the address the confirmation went to); never public.
    contact_name = models.CharField(_("your name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    # An anonymous report counts once its e-mail address is confirmed; until then nobody sees it.
    confirmed = models.BooleanField(default=True)
    # False while staff review an anonymous report the town wants held.
    approved = models.BooleanField(default=True)
    photos_released = models.BooleanField(_("photos shown publicly"), default=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged")
    forwarded_to = models.CharField(_("forwarded to"), max_length=120, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    # Open311 tokens/<token>: what an app gets back before it knows the id (also the confirmation secret).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The duplicate check's bounding box: a range on latitude, then longitude, on one btree.
            models.Index(fields=["latitude", "longitude"], name="reports_report_latlon_idx"),
            models.Index(fields=["status", "category"], name="reports_report_status_idx"),
            GinIndex(SearchVector("description", config="german"), name="reports_report_search_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.category_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:report-detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The stable reference residents, staff and outside bodies quote ("M-000042")."""
        return f"M-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reports/")
    # A photo staff took of the finished repair: always public with the report.
    is_fix = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name



class StatusChange(models.Model):
    """The report's public history: every status with the answer given then."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Status.choices)
    public_answer = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_body = models.CharField(max_length=120, blank=True)  # an outside body answering through its link
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.status}"



class Note(models.Model):
    """An internal note of staff; never shown to residents."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]



class Follower(models.Model):
    """A resident who wants to hear about a report ("Unterstützen"); the reporter is one too."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="reports_follower_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.user_id}"



class ApiKey(models.Model):
    """An Open311 api_key for posting reports. Only its SHA-256 is stored; the town admin sees the key once."""

    name = models.CharField(_("used by"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
