"""Abfallkalender: waste types, pickup areas, pickup dates, residents' choices and sent reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term


class WasteType(Term):
    """Restmüll, Bio, Papier, Gelber Sack ... with colour and icon (see core.taxonomy)."""

    # Other names the disposal company's files use for this type ("Restabfall", "Biotonne"), comma-separated.
    import_names = models.CharField(_("other names in import files"), max_length=300, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("waste type")
        verbose_name_plural = _("waste types")

    def names_for_import(self) -> set[str]:
        found = {self.name, self.slug, *self.import_names.split(",")}
        return {name.strip().casefold() for name in found if name.strip()}


class PickupArea(models.Model):
    """Where the same lorry comes on the same days: a whole Ortsgemeinde, or some of its streets."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    ortsgemeinde = models.ForeignKey("town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), on_delete=models.CASCADE,
                                     related_name="+")
    # No streets: the whole Ortsgemeinde. A street belongs to one area at most (AreaStreet's unique street).
    streets = models.ManyToManyField("town.Street", through="AreaStreet", blank=True, related_name="+",
                                     verbose_name=_("streets"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pickup area")
        verbose_name_plural = _("pickup areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("waste:area", kwargs={"slug": self.slug})


class AreaStreet(models.Model):
    area = models.ForeignKey(PickupArea, on_delete=models.CASCADE, related_name="area_streets")
    street = models.ForeignKey("town.Street", on_delete=models.CASCADE, related_name="+")

    class Meta:
        # The database refuses a street in two areas, whatever a form or an import did.
        constraints = [models.UniqueConstraint(fields=["street"], name="waste_street_in_one_area")]

    def __str__(self) -> str:
        return f"{self.area_id}:{self.street_id}"


class PickupSource(models.TextChoices):
    IMPORT = "import", _("Import")
    RULE = "rule", _("Rule")
    MANUAL = "manual", _("Corrected by hand")


class Pickup(models.Model):
    """One collection of one waste type in one area on one day."""

    area = models.ForeignKey(PickupArea, on_delete=models.CASCADE, related_name="pickups")
    waste_type = models.ForeignKey(WasteType, on_delete=models.CASCADE, related_name="pickups")
    date = models.DateField(_("date"))
    source = models.CharField(max_length=10, choices=PickupSource.choices, default=PickupSource.IMPORT)
    # Set by a manual correction: the date the plan had before ("moved from ...").
    original_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        ordering = ["date", "waste_type__position", "waste_type__name"]
        constraints = [models.UniqueConstraint(fields=["area", "waste_type", "date"], name="waste_pickup_once")]
        indexes = [models.Index(fields=["date", "area"], name="waste_pickup_date_area_idx")]

    def __str__(self) -> str:
        return f"{self.waste_type} {self.date:%d.%m.%Y}"


class ImportKind(models.TextChoices):
    ICS = "ics", _("iCalendar file")
    CSV = "csv", _("CSV file")
    RULE = "rule", _("Rule")


class WasteImport(models.Model):
    """A checked import waiting for the admin's "apply": the parsed dates and what they replace.

    Imports, CSV files and rules all end here, so the admin always sees the same preview, and
    applying is one transaction whatever the source.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    label = models.CharField(max_length=200)  # file name or the rule in words
    year = models.PositiveSmallIntegerField()
    # [[iso date, waste type id, area id], ...]
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label


class WasteHome(models.Model):
    """A resident's choice: where they live (area, optionally the street) and their reminder."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(PickupArea, on_delete=models.CASCADE, related_name="homes")
    street = models.ForeignKey("town.Street", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminder_on = models.BooleanField(_("remind me the evening before"), default=False)
    reminder_time = models.TimeField(_("at"), default="19:00")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["reminder_on", "reminder_time"], name="waste_home_reminder_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.area_id}"


class ReminderSent(models.Model):
    """One reminder per resident and pickup day: the unique row makes a second beat send nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pickup_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "pickup_date"], name="waste_reminder_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.pickup_date}"
