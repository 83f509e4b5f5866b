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
    SponsorshipRequest,
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
    per: str = ""  # "category", "module" or "club": the slots count per target of that kind


@dataclass(frozen=True)
class SponsorshipRequestRow:
    request: SponsorshipRequest
    asker: str  # the e-mail address of who asked, "" when the account is gone


def sponsorship_requests(*, tenant: Municipality) -> list[SponsorshipRequestRow]:
    """The businesses' requests to this town, newest first, with who asked (two queries).

    Runs in the town's schema: the askers are the town's users, looked up by id (no cross-schema join).
    """
    from accounts.models import User

    rows = list(SponsorshipRequest.objects.filter(tenant=tenant).order_by("-created_at")[:500])
    emails = dict(User.objects.filter(pk__in={r.user_id for r in rows if r.user_id}).values_list("pk", "email"))
    return [SponsorshipRequestRow(request=row, asker=emails.get(row.user_id or 0, "")) for row in rows]


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
    per_target: dict[str, str] = {ProductKind.MODULE_PATRON: "module", ProductKind.CLUB_PATRON: "club"}
    for offer in offers:
        gross = gross_from_net(offer.monthly_net_cents, offer.product.vat_rate_percent)
        per = "category" if offer.product.slot_key == "directory.category-top" else per_target.get(
            offer.product.kind, "")
        # Targeted products (per category, module or club) count slots per target; the list shows the per-target
        # number, and the purchase page says which targets are taken.
        free = offer.slots if per else max(0, offer.slots - taken.get(offer.product_id, 0))
        entries.append(PriceListEntry(offer.product, offer.monthly_net_cents, gross, gross - offer.monthly_net_cents,
                                      offer.slots, free, per))
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
    clubs: tuple[ClubShare, ...] = ()  # what went to which Verein this month


@dataclass(frozen=True)
class ClubShare:
    club_organisation_id: int
    name: str
    amount_cents: int
    sponsor_name: str = ""  # set where the club's own managers see each patron


def _club_names(club_ids: set[int]) -> dict[int, str]:
    """Names of the town's organisations (the caller runs in the town's schema); a deleted club has none."""
    from town.models import Organisation

    if not club_ids:
        return {}
    return {int(pk): str(name) for pk, name in Organisation.objects.filter(pk__in=club_ids).values_list("pk", "name")}


def _deleted_club() -> str:
    from django.utils.translation import gettext as _

    return _("(club deleted)")


def ledger_by_month(*, tenant: Municipality) -> list[LedgerMonth]:
    """The town's sponsorship income per month, with each Verein's share (three queries in all)."""
    rows = (LedgerEntry.objects.filter(tenant=tenant).exclude(product_kind=ProductKind.PLATFORM_PLAN).values("month")
            .annotate(gross=Sum("gross_cents"), net=Sum("net_cents"), vat=Sum("vat_cents"),
                      platform=Sum("platform_share_cents"), town=Sum("town_share_cents"),
                      club=Sum("club_share_cents"),
                      credited=Sum("town_share_cents", filter=Q(credited_at__isnull=False)))
            .order_by("-month"))
    club_rows = list(LedgerEntry.objects.filter(tenant=tenant, club_organisation_id__isnull=False,
                                                club_share_cents__gt=0)
                     .values("month", "club_organisation_id").annotate(amount=Sum("club_share_cents"))
                     .order_by("month", "club_organisation_id"))
    names = _club_names({int(row["club_organisation_id"]) for row in club_rows})
    clubs: dict[Any, list[ClubShare]] = {}
    for row in club_rows:
        club_id = int(row["club_organisation_id"])
        clubs.setdefault(row["month"], []).append(
            ClubShare(club_id, names.get(club_id, _deleted_club()), int(row["amount"])))
    return [LedgerMonth(row["month"], row["gross"], row["net"], row["vat"], row["platform"], row["town"],
                        row["club"], row["credited"] or 0,
                        tuple(sorted(clubs.get(row["month"], []), key=lambda c: c.name.lower())))
            for row in rows]


def club_income_total(*, tenant: Municipality, club_organisation_id: int) -> int:
    """Everything the club's patrons paid the club so far (its share of paid invoices, cents)."""
    total = LedgerEntry.objects.filter(tenant=tenant, club_organisation_id=club_organisation_id).aggregate(
        total=Sum("club_share_cents"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class ClubIncomeMonth:
    month: Any
    total_cents: int
    patrons: tuple[ClubShare, ...]


def club_income_by_month(*, tenant: Municipality, club_organisation_ids: list[int]) -> list[ClubIncomeMonth]:
    """Per month and patron, what the given clubs of the town received (for the clubs' own managers)."""
    rows = list(LedgerEntry.objects.filter(tenant=tenant, club_organisation_id__in=club_organisation_ids,
                                           club_share_cents__gt=0)
                .values("month", "club_organisation_id", "invoice__subscription__sponsor_name")
                .annotate(amount=Sum("club_share_cents"))
                .order_by("-month", "club_organisation_id", "invoice__subscription__sponsor_name"))
    names = _club_names({int(row["club_organisation_id"]) for row in rows})
    months: dict[Any, list[ClubShare]] = {}
    for row in rows:
        club_id = int(row["club_organisation_id"])
        months.setdefault(row["month"], []).append(ClubShare(
            club_id, names.get(club_id, _deleted_club()), int(row["amount"]),
            str(row["invoice__subscription__sponsor_name"] or "")))
    return [ClubIncomeMonth(month, sum(p.amount_cents for p in patrons), tuple(patrons))
            for month, patrons in months.items()]


def patron_club_choices() -> list[tuple[int, str]]:
    """The town's approved clubs (every organisation that is not a business); run in the town's schema."""
    from town.models import Organisation, OrganisationKind

    rows = Organisation.objects.filter(is_approved=True).exclude(kind=OrganisationKind.BUSINESS).order_by(
        "name").values_list("pk", "name")
    return [(int(pk), str(name)) for pk, name in rows]


def patrons_taken(*, tenant: Municipality, product: Product) -> dict[str, int]:
    """How many patronages of `product` hold a slot, per module key or club id (as str)."""
    field = "module_key" if product.kind == ProductKind.MODULE_PATRON else "club_organisation_id"
    rows = (Subscription.objects.filter(tenant=tenant, product=product, status__in=HOLDS_SLOT_STATUSES)
            .values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return {str(key): int(n) for key, n in rows}


def town_customer_get(*, tenant: Municipality) -> StripeCustomer | None:
    """The town itself as a customer (paying its platform plan)."""
    return StripeCustomer.objects.filter(tenant=tenant, organisation_id=None).first()


def invoice_list_for_town_itself(*, tenant: Municipality) -> QuerySet[Invoice]:
    return Invoice.objects.filter(tenant=tenant, customer__organisation_id=None).order_by("-issued_at")
