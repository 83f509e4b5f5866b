"""Sponsored entries for a module's promotion slots (sold by billing, rendered by modules).

Every visitor of a town sees the same entries in the same order: no
personalisation, no tracking. Entries are ordered by when they started.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django_tenants.utils import schema_context

from core.modules import PromotionSlot, all_modules
from core.tenancy import current_tenant

if TYPE_CHECKING:
    from tenants.models import Municipality


@dataclass(frozen=True)
class ActivePromotion:
    sponsor_name: str
    sponsor_organisation_id: int
    target_id: int | None
    link_url: str
    text: str


def promotion_slot(key: str) -> PromotionSlot:
    for module in all_modules().values():
        for slot in module.spec.promotion_slots:
            if slot.key == key:
                return slot
    raise LookupError(f"No promotion slot {key!r}")


def active_promotions(
    *, slot_key: str, target_id: int | None = None, tenant: Municipality | None = None
) -> list[ActivePromotion]:
    """The paid, active entries of `slot_key` in the current (or given) town, at most the slot's maximum."""
    from billing.models import Promotion, PromotionStatus

    slot = promotion_slot(slot_key)
    tenant = tenant or current_tenant()
    if tenant is None or tenant.schema_name == "public":
        return []
    now = timezone.now()
    with schema_context("public"):
        query = Promotion.objects.filter(
            tenant_id=tenant.pk, slot_key=slot_key, status=PromotionStatus.ACTIVE, starts_at__lte=now
        ).exclude(ends_at__lte=now)
        if slot.target:
            query = query.filter(target_id=target_id)
        rows = list(query.order_by("starts_at", "pk")[: slot.max_entries])
    return [
        ActivePromotion(
            sponsor_name=row.sponsor_name,
            sponsor_organisation_id=row.sponsor_organisation_id,
            target_id=row.target_id,
            link_url=row.link_url,
            text=row.text,
        )
        for row in rows
    ]
