"""Billing lives in the public schema: every row names the town it belongs to.

Town tables never point here; billing stores town-side ids (organisation,
target) as plain integers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality


class PromotionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused (payment overdue)")
    ENDED = "ended", _("Ended")


class Promotion(models.Model):
    """A sponsor's entry in one promotion slot of one town, live while paid."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="promotions")
    slot_key = models.CharField(max_length=80)  # core.modules.PromotionSlot.key
    target_id = models.BigIntegerField(null=True, blank=True)  # e.g. a directory category id, per slot.target
    sponsor_organisation_id = models.BigIntegerField()  # town.Organisation id in the town's schema
    sponsor_name = models.CharField(max_length=150)
    link_url = models.CharField(max_length=500, blank=True)  # a path on the town's site
    text = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=PromotionStatus.choices, default=PromotionStatus.ACTIVE)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "slot_key", "status"])]
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.sponsor_name} in {self.slot_key} ({self.status})"
