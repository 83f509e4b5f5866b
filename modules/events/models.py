"""Events: what the town and its clubs invite people to, with optional registration.

A recurring event is one row holding an RFC 5545 rule (``rrule``) and the dates that don't take
place (``cancelled_dates``); pages expand it on read with ``core.calendar.occurrences``, so a
weekly training without an end costs one row, not thousands.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term


class Category(Term):
    """What kind of event it is (Fest, Sport, Kirche, Kultur ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")


class Venue(models.Model):
    """A place the town keeps for events (Bürgerhaus, Sportplatz), with its address and map point."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("place"), max_length=100, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    step_free = models.BooleanField(_("step-free access"), default=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        place = f"{self.postal_code} {self.locality}".strip()
        return ", ".join(part for part in (self.name, self.street, place) if part)


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUGGESTED = "suggested", _("Suggested by a resident")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not accepted")


class Event(models.Model):
    """One event or one series of them. Written only through modules.events.services."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)  # sanitised HTML (nh3), never raw input
    # Timed events: aware datetimes. All-day events: midnight in Europe/Berlin of the first and last day.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    rrule = models.CharField(_("repeats"), max_length=300, blank=True)  # RFC 5545, without "RRULE:"
    # The end of the last occurrence (None: the series never ends). Kept by the services, so a
    # month's events are one indexed query: starts_at < month end AND (series_ends_at >= month start).
    series_ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Dates of a series that do not take place.
    cancelled_dates = ArrayField(models.DateField(), default=list, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # The start before the organiser moved a published event (schema.org EventRescheduled); None: never moved.
    previous_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    is_hidden = models.BooleanField(default=False)  # hidden by the moderators
    published_at = models.DateTimeField(null=True, blank=True)

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="events")
    address = models.CharField(_("address"), max_length=250, blank=True)  # when no venue of the list fits
    # null: the whole town.
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="events")
    # null: the town itself invites; otherwise that organisation.
    organisation = models.ForeignKey(
        "town.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    price = models.CharField(_("price"), max_length=120, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility = models.CharField(_("more about accessibility"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    link = models.URLField(_("link"), blank=True)

    # Registration: for a single event, or per date of a series (capacity and waiting list per date).
    registration_enabled = models.BooleanField(_("registration"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    max_places_per_registration = models.PositiveSmallIntegerField(_("places per registration"), default=4)
    questions = models.TextField(_("questions to people registering"), blank=True)  # one per line

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="events_event_search_gin"),
            models.Index(fields=["status", "starts_at"], name="events_event_start_idx"),
            models.Index(fields=["status", "series_ends_at"], name="events_event_series_end_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == EventStatus.PUBLISHED and not self.is_hidden

    @property
    def is_series(self) -> bool:
        return bool(self.rrule)

    @property
    def place(self) -> str:
        if self.venue_id:
            return self.venue.address
        return self.address

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A person's places at one date of an event (a family of 4 is one registration with 4 places)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # The date registered for, in the town's calendar: a single event's first day, or one date of a series.
    # Capacity, waiting list and reminders count per (event, occurrence_date).
    occurrence_date = models.DateField(_("date"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    answers = models.JSONField(default=dict, blank=True)  # question -> answer
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The waiting list's order: set when a person joins it.
    waiting_since = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # sha256 of the cancel link's token (schema name hashed in, see services.cancel_token_hash).
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    # The day a reminder was sent for; the conditional update makes it once per person.
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "occurrence_date", "user"],
                                    condition=~models.Q(status="cancelled"),
                                    name="events_one_active_registration_per_person_and_date"),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="events_registration_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.places})"


class SavedEvent(models.Model):
    """A resident's note "I want to go there": one date of an event, listed under "Meine Termine",
    reminded the day before and part of their personal calendar feed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occurrence_date = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The day a reminder was sent for; the conditional update makes it once per person.
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("saved event")
        verbose_name_plural = _("saved events")
        ordering = ["occurrence_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "occurrence_date", "user"], name="events_saved_once"),
        ]
        indexes = [models.Index(fields=["occurrence_date"], name="events_saved_date_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event_id} {self.occurrence_date}"
