"""Branchenbuch: local businesses that run their own entries, approved by the town."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term
from town.models import Weekday  # the platform's one weekday numbering, shared with the town's office hours


class BusinessCategory(Term):
    """A branch the town sorts its directory into (Bäckerei, Hofladen, Handwerk ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")


class BusinessStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Business(models.Model):
    """A directory entry. Its people are the members of `organisation` (kind "business").

    Written only through modules.directory.services (validation, approval, search index).
    """

    organisation = models.OneToOneField(
        "town.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)  # plain text, rendered with linebreaks
    categories = models.ManyToManyField(
        BusinessCategory, verbose_name=_("categories"), blank=True, related_name="businesses"
    )
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("place"), max_length=100, blank=True)
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    delivers = models.BooleanField(_("delivers"), default=False)
    pickup = models.BooleanField(_("orders for pickup"), default=False)
    delivery_notes = models.CharField(_("delivery and pickup notes"), max_length=300, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=BusinessStatus.choices, default=BusinessStatus.PENDING
    )
    # The business may take its entry offline without losing the approval.
    is_published = models.BooleanField(_("shown in the directory"), default=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # name (A), categories and place (B), description (C), German stemmer; kept current by the services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="directory_business_search_gin"),
            models.Index(fields=["status", "is_published", "name"], name="directory_business_visible_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directory:business-detail", kwargs={"slug": self.slug})

    @property
    def is_visible(self) -> bool:
        return self.status == BusinessStatus.APPROVED and self.is_published


class OpeningInterval(models.Model):
    """Regular hours: open on `weekday` from `opens` to `closes` (local time in Europe/Berlin).

    `closes_next_day` marks an interval that runs past midnight (a pub open 18:00–02:00);
    without it, `closes` must lie after `opens`.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="opening_intervals")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    closes_next_day = models.BooleanField(_("closes after midnight"), default=False)

    class Meta:
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """Holidays and special days: closed from `start_date` to `end_date`, or open with special hours.

    Special hours of a date replace that date's regular hours; several rows for the same
    date give several intervals.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="opening_exceptions")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    closes_next_day = models.BooleanField(_("closes after midnight"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date", "opens"]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}"


class BusinessPhoto(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="directory/")
    alt = models.CharField(_("photo description"), max_length=250)
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


class WeeklyOffer(models.Model):
    """'Angebot der Woche': shown until (and including) `valid_until`, hidden afterwards."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    price = models.CharField(_("price"), max_length=60, blank=True)
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_until", "id"]

    def __str__(self) -> str:
        return self.title
