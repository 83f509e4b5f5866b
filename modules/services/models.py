"""Rathaus & Bürgerservice: the town hall's offices, its services A–Z and the Fundbüro.

Where an office's opening hours live
------------------------------------
An office's *weekly* hours are rows of the town's own ``town.OfficeHour`` table, linked to the
office through :class:`OfficeHourLink` (one row belongs to at most one office). We reuse that table
rather than keeping a second weekly schedule because the town's contact card (on every page) and
the calendar feeds (source "sprechzeiten") already read it: a Bürgerbüro whose hours lived both
there and here would have two sources of truth that drift apart the first time one is edited.
Whether the town edits the hours on the office's page or on its Sprechzeiten page, it is the same
row, and deleting it there removes it here (the link cascades).

What ``OfficeHour`` cannot express, dated exceptions, lives here: :class:`OfficeDay` (closed days
and holidays, or special hours on a date). ``town`` stays unchanged: it sits below the modules and
may not point at a module's table (a module can be switched off, its tables stay).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term


class LifeSituation(Term):
    """A Lebenslage the town sorts its services into (Umzug, Geburt, Bauen ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")


class Office(models.Model):
    """An office of the town hall (Bürgerbüro, Standesamt, Bauamt) that residents visit or call."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=160, unique=True)
    description = models.TextField(_("what it does"), blank=True)  # plain text
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("place"), max_length=100, blank=True)
    room = models.CharField(_("room or floor"), max_length=100, blank=True)
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    booking_url = models.URLField(_("online appointment booking"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:office-detail", kwargs={"office": self.slug})

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postal_code, self.locality) if part)
        return ", ".join(part for part in (self.street, place) if part)


class OfficeHourLink(models.Model):
    """Says that the town's weekly ``OfficeHour`` row is this office's (see the module docstring)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="hour_links")
    hour = models.OneToOneField("town.OfficeHour", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.office_id}:{self.hour_id}"


class OfficeDay(models.Model):
    """Closed days and holidays (``closed``), or special hours on a date that replace its weekly hours."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="days")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "opens", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="services_day_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}"


class OfficeContact(models.Model):
    """A person responsible in an office. Published only because the town typed the name in."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    responsibility = models.CharField(_("responsible for"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A Leistung: what a resident can get done at the town hall, with what to bring and what it costs."""

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=160, unique=True)
    summary = models.CharField(_("in one sentence"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)  # plain text, rendered with linebreaks
    office = models.ForeignKey(Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="services")
    life_situation = models.ForeignKey(
        LifeSituation, verbose_name=_("life situation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="services",
    )
    documents = models.TextField(_("what to bring"), blank=True, help_text=_("One item per line."))
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    appointment_required = models.BooleanField(_("appointment needed"), default=False)
    online_url = models.URLField(_("online service"), blank=True,
                                 help_text=_("The service in the Land's portal or another online service."))
    booking_url = models.URLField(_("appointment booking"), blank=True,
                                  help_text=_("Leave empty to use the office's booking link."))
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # title (A), summary (B), description and documents (C); kept by the services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["title", "id"]
        indexes = [GinIndex(fields=["search_vector"], name="services_service_search_gin")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:service-detail", kwargs={"slug": self.slug})

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]

    @property
    def letter(self) -> str:
        first = (self.title[:1] or "#").upper()
        return {"Ä": "A", "Ö": "O", "Ü": "U"}.get(first, first if first.isalpha() else "#")


class ServiceForm(models.Model):
    """A downloadable form (PDF) of a service, kept in the town's storage."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="forms")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("PDF file"), upload_to="services/forms/")
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class FoundCategory(models.TextChoices):
    KEYS = "keys", _("Keys")
    WALLET = "wallet", _("Wallet or bag")
    PHONE = "phone", _("Phone or electronics")
    DOCUMENTS = "documents", _("ID cards and documents")
    JEWELLERY = "jewellery", _("Jewellery and watches")
    CLOTHING = "clothing", _("Clothing")
    BICYCLE = "bicycle", _("Bicycle")
    GLASSES = "glasses", _("Glasses")
    OTHER = "other", _("Other")


class FoundItem(models.Model):
    """Something handed in at the Fundbüro. Shown until ``expires_on``; then a periodic task hides it."""

    title = models.CharField(_("what"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=FoundCategory.choices,
                                default=FoundCategory.OTHER)
    description = models.TextField(_("description"), blank=True,
                                   help_text=_("Leave out what only the owner can know: it proves a claim."))
    place_found = models.CharField(_("where it was found"), max_length=200)
    found_on = models.DateField(_("found on"))
    office = models.ForeignKey(Office, verbose_name=_("kept at"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="found_items")
    photo = models.ImageField(_("photo"), upload_to="services/found/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=250, blank=True)
    expires_on = models.DateField(_("shown until"))
    returned_at = models.DateTimeField(_("handed back"), null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)  # set by the expiry task or by hand
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("found item")
        verbose_name_plural = _("found items")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["hidden_at", "returned_at", "found_on"], name="services_found_visible_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:found-detail", kwargs={"item": self.pk})

    @property
    def is_listed(self) -> bool:
        return self.hidden_at is None and self.returned_at is None


class FoundItemClaim(models.Model):
    """A resident's message to the office that a found item is theirs."""

    item = models.ForeignKey(FoundItem, on_delete=models.CASCADE, related_name="claims")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"claim {self.pk} on {self.item_id}"
