"""Billing reads. Every function takes the town explicitly and filters by it (ISOLATION T15)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from billing.models import (
    HOLDS_SLOT_STATUSES,
    Invoice,
    LedgerEntry,
    Product,
    ProductKind,
    StripeCustomer,
    Subscription,
    TownProductOffer,
    TownSponsorshipSettings,
)
from tenants.models import Municipality


@dataclass(frozen=True)
class PriceListEntry:
    product: Product
    monthly_net_cents: int
    monthly_gross_cents: int
    vat_cents: int
    slots: int
    slots_free: int


def sponsorship_settings_get(*, tenant: Municipality) -> TownSponsorshipSettings:
    return TownSponsorshipSettings.objects.filter(tenant=tenant).first() or TownSponsorshipSettings(tenant=tenant)


def price_list(*, tenant: Municipality) -> list[PriceListEntry]:
    """What the town offers, with VAT; empty when sponsorship is off."""
    from billing.services import gross_from_net

    if not sponsorship_settings_get(tenant=tenant).enabled:
        return []
    offers = TownProductOffer.objects.filter(tenant=tenant, offered=True, product__is_active=True).select_related(
        "product"
    )
    taken = dict(
        Subscription.objects.filter(tenant=tenant, status__in=HOLDS_SLOT_STATUSES)
        .values_list("product_id").annotate(n=Count("pk")).values_list("product_id", "n")
    )
    entries = []
    for offer in offers:
        gross = gross_from_net(offer.monthly_net_cents, offer.product.vat_rate_percent)
        # Targeted products (one per category) count slots per target; the list shows the per-product count.
        free = offer.slots if offer.product.slot_key == "directory.category-top" else max(
            0, offer.slots - taken.get(offer.product_id, 0))
        entries.append(PriceListEntry(offer.product, offer.monthly_net_cents, gross, gross - offer.monthly_net_cents,
                                      offer.slots, free))
    return entries


def offers_for_settings(*, tenant: Municipality) -> list[tuple[Product, TownProductOffer | None]]:
    offers = {offer.product_id: offer for offer in TownProductOffer.objects.filter(tenant=tenant)}
    products = Product.objects.filter(is_active=True).exclude(kind=ProductKind.PLATFORM_PLAN)
    return [(product, offers.get(product.pk)) for product in products]


def customer_get(*, tenant: Municipality, organisation_id: int) -> StripeCustomer | None:
    return StripeCustomer.objects.filter(tenant=tenant, organisation_id=organisation_id).first()


def subscription_list_for_organisations(*, tenant: Municipality, organisation_ids: list[int]) -> QuerySet[Subscription]:
    return (Subscription.objects.filter(tenant=tenant, customer__organisation_id__in=organisation_ids)
            .select_related("product", "customer", "promotion").order_by("-created_at"))


def subscription_get_for_organisations(*, tenant: Municipality, organisation_ids: list[int],
                                       pk: Any) -> Subscription | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return subscription_list_for_organisations(tenant=tenant, organisation_ids=organisation_ids).filter(pk=pk).first()


def invoice_list_for_organisations(*, tenant: Municipality, organisation_ids: list[int]) -> QuerySet[Invoice]:
    return (Invoice.objects.filter(tenant=tenant, customer__organisation_id__in=organisation_ids)
            .select_related("subscription__product").order_by("-issued_at"))


@dataclass(frozen=True)
class LedgerMonth:
    month: Any
    gross_cents: int
    net_cents: int
    vat_cents: int
    platform_share_cents: int
    town_share_cents: int
    club_share_cents: int
    credited_cents: int


def ledger_by_month(*, tenant: Municipality) -> list[LedgerMonth]:
    rows = (LedgerEntry.objects.filter(tenant=tenant).exclude(product_kind=ProductKind.PLATFORM_PLAN).values("month")
            .annotate(gross=Sum("gross_cents"), net=Sum("net_cents"), vat=Sum("vat_cents"),
                      platform=Sum("platform_share_cents"), town=Sum("town_share_cents"),
                      club=Sum("club_share_cents"),
                      credited=Sum("town_share_cents", filter=Q(credited_at__isnull=False)))
            .order_by("-month"))
    return [LedgerMonth(row["month"], row["gross"], row["net"], row["vat"], row["platform"], row["town"],
                        row["club"], row["credited"] or 0) for row in rows]


def town_customer_get(*, tenant: Municipality) -> StripeCustomer | None:
    """The town itself as a customer (paying its platform plan)."""
    return StripeCustomer.objects.filter(tenant=tenant, organisation_id=None).first()


def invoice_list_for_town_itself(*, tenant: Municipality) -> QuerySet[Invoice]:
    return Invoice.objects.filter(tenant=tenant, customer__organisation_id=None).order_by("-issued_at")
