"""Billing writes: town offers, customers, subscriptions, the Stripe mirrors and promotions.

Everything here runs in the public schema. The town a row belongs to always
comes from our own tables (StripeCustomer.tenant), never from data Stripe
sends back (ISOLATION T10).

A subscription's status is computed, not accumulated: from the status Stripe
reports (re-fetched, never taken from an event body), the invoices we mirror
(an open invoice whose payment failed means dunning) and the clock (grace
period). Replaying or reordering webhooks therefore cannot move it backwards.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing import gateway
from billing.catalogue import PLATFORM_EXCLUDED_TERMS
from billing.models import (
    HOLDS_SLOT_STATUSES,
    PATRON_KINDS,
    Invoice,
    LedgerEntry,
    Product,
    ProductKind,
    Promotion,
    PromotionStatus,
    SponsorshipRequest,
    SponsorshipRequestStatus,
    StripeCustomer,
    Subscription,
    SubscriptionStatus,
    TownProductOffer,
    TownSponsorshipSettings,
)
from billing.promotions import (
    CLUB_PATRON_SLOT_KEY,
    PATRON_EXCLUDED_MODULES,
    module_patron_allowed,
    module_patron_slot_key,
    patrons_forget,
    promotion_slot,
    promotions_forget,
    slot_targets,
)
from core.modules import all_modules
from tenants.models import Municipality
from tenants.selectors import tenant_enabled_modules

logger = logging.getLogger(__name__)

HOLDS_SLOT = HOLDS_SLOT_STATUSES
STRIPE_ENDED = ("canceled", "incomplete_expired", "unpaid")


# --- money ------------------------------------------------------------------------------


def gross_from_net(net_cents: int, vat_rate_percent: int) -> int:
    """Gross price in cents, rounded half up (German invoices round per line)."""
    return (net_cents * (100 + vat_rate_percent) + 50) // 100


def net_from_gross(gross_cents: int, vat_rate_percent: int) -> int:
    return (gross_cents * 100 + (100 + vat_rate_percent) // 2) // (100 + vat_rate_percent)


def _timestamp(value: Any) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


# --- the town's offer ------------------------------------------------------------------------


@transaction.atomic
def town_sponsorship_configure(*, tenant: Municipality, enabled: bool, excluded_terms: str = "",
                               excluded_category_ids: list[int] | None = None,
                               excluded_module_keys: list[str] | None = None) -> TownSponsorshipSettings:
    row, _created = TownSponsorshipSettings.objects.select_for_update().get_or_create(tenant=tenant)
    row.enabled = enabled
    row.excluded_terms = excluded_terms.strip()
    row.excluded_category_ids = sorted({int(pk) for pk in (excluded_category_ids or [])})
    if excluded_module_keys is not None:
        unknown = set(excluded_module_keys) - set(all_modules())
        if unknown:
            raise ValidationError(_("Unknown module: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
        row.excluded_module_keys = sorted(set(excluded_module_keys))
    row.save()
    return row


@transaction.atomic
def town_offer_set(*, tenant: Municipality, product: Product, offered: bool, monthly_net_cents: int,
                   slots: int) -> TownProductOffer:
    """Offer (or withdraw) a product in a town at a price within the platform's range."""
    if product.kind == ProductKind.PLATFORM_PLAN:
        raise ValidationError(_("Platform plans are not sold to sponsors."))
    if not product.min_monthly_cents <= monthly_net_cents <= product.max_monthly_cents:
        raise ValidationError(
            _("The monthly price must be between %(low)s and %(high)s euros.")
            % {"low": f"{product.min_monthly_cents / 100:.2f}", "high": f"{product.max_monthly_cents / 100:.2f}"}
        )
    if not 1 <= slots <= 50:
        raise ValidationError(_("The number of slots must be between 1 and 50."))
    offer, _created = TownProductOffer.objects.update_or_create(
        tenant=tenant, product=product,
        defaults={"offered": offered, "monthly_net_cents": monthly_net_cents, "slots": slots},
    )
    if product.kind in PATRON_KINDS:
        patrons_forget(tenant=tenant)  # the number of patrons a page shows may have changed
    return offer


def sponsorship_text_check(*, tenant: Municipality, texts: list[str]) -> None:
    """Refuse sponsorships touching the platform's or the town's excluded topics (no political advertising)."""
    settings_row = TownSponsorshipSettings.objects.filter(tenant=tenant).first()
    terms = list(PLATFORM_EXCLUDED_TERMS) + (settings_row.excluded_term_list() if settings_row else [])
    haystack = " ".join(texts).lower()
    for term in terms:
        if term and term in haystack:
            raise ValidationError(_("This sponsorship touches a topic that cannot be sponsored here (%(term)s).")
                                  % {"term": term})


# --- patrons: what a Modulpate or Vereinspate sponsors ----------------------------------------------


@dataclass(frozen=True)
class PatronTarget:
    """A checked patron target: the sponsored module or club of the town (empty for other products)."""

    module_key: str = ""
    club_organisation_id: int | None = None
    label: str = ""  # the module's or club's name, shown to the sponsor


def patron_module_keys(*, tenant: Municipality) -> list[str]:
    """Modules a business may sponsor in this town: enabled, never news, not excluded by the town."""
    settings_row = TownSponsorshipSettings.objects.filter(tenant=tenant).first()
    excluded = set(settings_row.excluded_module_keys if settings_row else [])
    enabled = tenant_enabled_modules(tenant=tenant, fresh=True)
    return [key for key in all_modules() if key in enabled and key not in excluded and module_patron_allowed(key)]


SPONSORSHIP_REQUEST_EVERY_SECONDS = 24 * 3600  # one request per business and day reaches the admins
SPONSORSHIP_REQUEST_MESSAGE_MAX = 1000


def sponsorship_request(*, tenant: Municipality, organisation_id: int, organisation_name: str, user_id: int,
                        message: str = "") -> bool:
    """A business asks a town that has sponsorship off to offer it: the request is kept for the back office
    (billing:backoffice-requests) and the town's admins get a mail (through the outbox). False when this
    business already asked today (nothing is stored or sent twice)."""
    from django.core.cache import cache

    from core.outbox import outbox_enqueue

    settings_row = TownSponsorshipSettings.objects.filter(tenant=tenant).first()
    if settings_row is not None and settings_row.enabled:
        raise ValidationError(_("This town already offers sponsorships."))
    key = f"billing:sponsorship-request:{tenant.pk}:{organisation_id}"
    if not cache.add(key, 1, SPONSORSHIP_REQUEST_EVERY_SECONDS):
        return False
    message = (message or "").strip()[:SPONSORSHIP_REQUEST_MESSAGE_MAX]
    SponsorshipRequest.objects.create(tenant=tenant, organisation_id=organisation_id,
                                      organisation_name=organisation_name[:200], user_id=user_id, message=message)
    with schema_context(tenant.schema_name):
        outbox_enqueue("billing.sponsorship_request_mail", args=[organisation_name, user_id, message])
    logger.info("town %s: business %s asks for sponsorship", tenant.pk, organisation_id)
    return True


def sponsorship_request_answered(*, tenant: Municipality, request_id: int, answered: bool = True) -> SponsorshipRequest:
    """The town hall marks a business's request as answered (or open again). Only this town's requests."""
    from django.http import Http404
    from django.utils import timezone

    row = SponsorshipRequest.objects.filter(tenant=tenant, pk=request_id).first()
    if row is None:
        raise Http404  # another town's request, or none: never say which
    row.status = SponsorshipRequestStatus.ANSWERED if answered else SponsorshipRequestStatus.OPEN
    row.answered_at = timezone.now() if answered else None
    row.save(update_fields=["status", "answered_at"])
    return row


def sponsorship_request_mail_send(*, organisation_name: str, user_id: int, message: str = "") -> int:
    """Mail the town's admins that a business wants to sponsor (runs in the town's schema)."""
    from django.urls import reverse

    from accounts.models import Role, User
    from core.branding import town_url
    from core.mail import send_town_mail

    admins = list(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True))
    asker = User.objects.filter(pk=user_id).values_list("email", flat=True).first() or ""
    if not admins:
        return 0
    return send_town_mail(
        to=admins,
        subject=_("%(name)s would like to sponsor") % {"name": organisation_name},
        template="billing/mail/sponsorship_request",
        context={"organisation_name": organisation_name, "asker": asker, "message": message,
                 "settings_url": town_url(reverse("billing:backoffice-settings")),
                 "requests_url": town_url(reverse("billing:backoffice-requests"))},
    )


def purchase_targets(*, tenant: Municipality, product: Product) -> list[tuple[int, str]]:
    """Where an entry of `product` can appear in the town (e.g. the directory's categories, minus those
    the town excludes); [] when the product's slot has no target (it shows in one place)."""
    if not product.slot_key:
        return []
    try:
        slot = promotion_slot(product.slot_key)
    except LookupError:
        return []
    targets = slot_targets(slot, tenant=tenant)
    settings_row = TownSponsorshipSettings.objects.filter(tenant=tenant).first()
    excluded = set(settings_row.excluded_category_ids if settings_row else [])
    return [(pk, name) for pk, name in targets if pk not in excluded]


def slot_target_check(*, tenant: Municipality, product: Product, target_id: int | None) -> PatronTarget:
    """A product whose slot points at something (a category) needs one of the town's targets:
    a paid entry must appear somewhere. Refused before anything is sent to Stripe."""
    if not product.slot_key:
        return PatronTarget()
    try:
        slot = promotion_slot(product.slot_key)
    except LookupError:
        return PatronTarget()
    if not slot.target:
        return PatronTarget()
    if target_id is None:
        raise ValidationError(_("Please choose where your entry appears."))
    label = dict(purchase_targets(tenant=tenant, product=product)).get(target_id)
    if label is None:
        raise ValidationError(_("Please choose a place of this town where your entry can appear."))
    return PatronTarget(label=label)


def patron_target_check(*, tenant: Municipality, product: Product, module_key: str = "",
                        club_organisation_id: int | None = None, target_id: int | None = None) -> PatronTarget:
    """Refuse a module, club or slot target this town can't have sponsored; runs before anything is sent
    to Stripe."""
    if product.kind == ProductKind.MODULE_PATRON:
        if module_key in PATRON_EXCLUDED_MODULES:
            raise ValidationError(_("Official news cannot be sponsored."))
        if module_key not in patron_module_keys(tenant=tenant):
            raise ValidationError(_("Please choose a module of this town that can be sponsored."))
        return PatronTarget(module_key=module_key, label=str(all_modules()[module_key].spec.name))
    if product.kind == ProductKind.CLUB_PATRON:
        from town.models import Organisation, OrganisationKind

        if club_organisation_id is None:
            raise ValidationError(_("Please choose the club you want to sponsor."))
        with schema_context(tenant.schema_name):
            club = (Organisation.objects.filter(pk=club_organisation_id)
                    .values_list("name", "kind", "is_approved").first())
        if club is None or not club[2]:
            raise ValidationError(_("Please choose a club of this town."))
        if club[1] == OrganisationKind.BUSINESS:
            raise ValidationError(_("A business cannot receive a club patronage; please choose a club."))
        return PatronTarget(club_organisation_id=club_organisation_id, label=str(club[0]))
    return slot_target_check(tenant=tenant, product=product, target_id=target_id)


def subscription_slot(subscription: Subscription) -> tuple[str, int | None]:
    """The promotion slot and target a subscription fills ("" when its product fills none)."""
    kind = subscription.product.kind
    if kind == ProductKind.MODULE_PATRON:
        return (module_patron_slot_key(subscription.module_key) if subscription.module_key else "", None)
    if kind == ProductKind.CLUB_PATRON:
        return (CLUB_PATRON_SLOT_KEY if subscription.club_organisation_id else "", subscription.club_organisation_id)
    return subscription.product.slot_key, subscription.target_id


# --- customers ----------------------------------------------------------------------------


@transaction.atomic
def customer_ensure(*, tenant: Municipality, organisation_id: int | None, name: str, email: str,
                    address_line: str = "", postal_code: str = "", city: str = "",
                    vat_id: str = "") -> StripeCustomer:
    """Our customer row for an organisation (or the town itself), created at Stripe once."""
    row, _created = StripeCustomer.objects.select_for_update().get_or_create(
        tenant=tenant, organisation_id=organisation_id, defaults={"name": name, "email": email},
    )
    row.name, row.email = name, email
    row.address_line, row.postal_code, row.city, row.vat_id = address_line, postal_code, city, vat_id
    if not row.customer_id:
        address = {"line1": address_line, "postal_code": postal_code, "city": city, "country": "DE"}
        data = gateway.customer_create(
            idempotency_key=f"customer-{row.pk}", name=name, email=email,
            address=address if address_line else None,
            metadata={"town": tenant.schema_name, "organisation": str(organisation_id or "")},
        )
        row.customer_id = data["id"]
    row.save()
    return row


def payment_setup_start(*, customer: StripeCustomer, attempt: str, method_type: str = "card") -> dict[str, str]:
    """A SetupIntent for the payment form; `attempt` (one per form shown) keeps a resubmit from making two."""
    data = gateway.setup_intent_create(idempotency_key=f"setup-{customer.pk}-{attempt}",
                                       customer_id=customer.stripe_id, method_type=method_type)
    return {"id": data["id"], "client_secret": data["client_secret"]}


@transaction.atomic
def payment_method_save(*, customer: StripeCustomer, setup_intent_id: str) -> StripeCustomer:
    """After Elements confirmed the SetupIntent: make its payment method the customer's default."""
    intent = gateway.setup_intent_retrieve(setup_intent_id)
    # A SetupIntent of another customer (another town's, say) must never land here.
    if intent.get("customer") != customer.customer_id:
        raise ValidationError(_("These payment details belong to someone else."))
    if intent.get("status") != "succeeded" or not intent.get("payment_method"):
        raise ValidationError(_("The payment details were not confirmed. Please try again."))
    method_id = intent["payment_method"]
    method = gateway.payment_method_retrieve(method_id)
    if method.get("customer") != customer.customer_id:
        gateway.payment_method_attach(payment_method_id=method_id, customer_id=customer.stripe_id)
    gateway.customer_default_payment_method_set(customer_id=customer.stripe_id, payment_method_id=method_id)
    customer.default_payment_method_id = method_id
    customer.payment_method_label = _payment_method_label(method)
    customer.save(update_fields=["default_payment_method_id", "payment_method_label"])
    return customer


def _payment_method_label(method: dict[str, Any]) -> str:
    if method.get("type") == "sepa_debit":
        return f"SEPA •••• {method.get('sepa_debit', {}).get('last4', '')}"
    card = method.get("card") or {}
    return f"{str(card.get('brand', 'card')).title()} •••• {card.get('last4', '')}"


# --- subscriptions --------------------------------------------------------------------------


def _offer_for(tenant: Municipality, product: Product) -> TownProductOffer:
    settings_row = TownSponsorshipSettings.objects.filter(tenant=tenant).first()
    if settings_row is None or not settings_row.enabled:
        raise ValidationError(_("This town does not offer sponsorships."))
    offer = TownProductOffer.objects.filter(tenant=tenant, product=product, offered=True).first()
    if offer is None or not product.is_active:
        raise ValidationError(_("This town does not offer this product."))
    return offer


def _plan_for(tenant: Municipality, product: Product, gross_cents: int) -> str:
    gateway.product_ensure(product_id=product.stripe_product_id, name=product.name)
    plan_id = f"dk-{tenant.schema_name}-{product.key}-{gross_cents}-{product.currency}"
    gateway.plan_ensure(plan_id=plan_id, product_id=product.stripe_product_id, amount_cents=gross_cents,
                        currency=product.currency)
    return plan_id


def _check_slot_free(*, tenant: Municipality, product: Product, offer: TownProductOffer, target_id: int | None,
                     excluding: Subscription | None = None, patron: PatronTarget | None = None) -> None:
    settings_row = TownSponsorshipSettings.objects.get(tenant=tenant)
    if target_id is not None and product.slot_key and target_id in settings_row.excluded_category_ids:
        raise ValidationError(_("This category cannot be sponsored."))
    taken = Subscription.objects.filter(tenant=tenant, product=product, status__in=HOLDS_SLOT)
    # Patrons: the town's number of slots counts per module or per club.
    if product.kind == ProductKind.MODULE_PATRON:
        taken = taken.filter(module_key=patron.module_key if patron else "")
    elif product.kind == ProductKind.CLUB_PATRON:
        taken = taken.filter(club_organisation_id=patron.club_organisation_id if patron else None)
    elif product.slot_key:
        taken = taken.filter(target_id=target_id)
    if excluding is not None:
        taken = taken.exclude(pk=excluding.pk)
    if taken.count() >= offer.slots:
        raise ValidationError(_("All slots of this product are taken. Please try again later."))


def sponsorship_available_check(*, tenant: Municipality, product: Product, patron: PatronTarget,
                                target_id: int | None = None) -> None:
    """Before anything is sent to Stripe: the town offers the product and a slot for this target is free.

    subscription_start checks again under a lock; this only spares the business a payment form for nothing.
    """
    offer = _offer_for(tenant, product)
    _check_slot_free(tenant=tenant, product=product, offer=offer, target_id=target_id, patron=patron)


def subscription_start(*, tenant: Municipality, customer: StripeCustomer, product: Product,
                       sponsor_name: str, target_id: int | None = None, text: str = "", link_url: str = "",
                       club_organisation_id: int | None = None, module_key: str = "") -> Subscription:
    """Subscribe a customer with a saved payment method; the promotion goes live once Stripe says paid.

    A Modulpate names `module_key`, a Vereinspate `club_organisation_id`; both are checked against the
    town before anything reaches Stripe.
    """
    if customer.tenant_id != tenant.pk:
        raise ValidationError(_("This customer belongs to another town."))
    if not customer.default_payment_method_id:
        raise ValidationError(_("Please add a payment method first."))
    patron = patron_target_check(tenant=tenant, product=product, module_key=module_key,
                                 club_organisation_id=club_organisation_id, target_id=target_id)
    with transaction.atomic():
        # One purchase at a time per town and product: the slot count below must not race.
        TownProductOffer.objects.select_for_update().filter(tenant=tenant, product=product).first()
        offer = _offer_for(tenant, product)
        sponsorship_text_check(tenant=tenant, texts=[sponsor_name, text])
        _check_slot_free(tenant=tenant, product=product, offer=offer, target_id=target_id, patron=patron)
        gross = gross_from_net(offer.monthly_net_cents, product.vat_rate_percent)
        subscription = Subscription.objects.create(
            tenant=tenant, customer=customer, product=product, plan_id="", monthly_net_cents=offer.monthly_net_cents,
            monthly_gross_cents=gross, currency=product.currency,
            target_id=None if product.kind in PATRON_KINDS else target_id, sponsor_name=sponsor_name,
            text=text, link_url=link_url, club_organisation_id=patron.club_organisation_id,
            module_key=patron.module_key, target_label=patron.label,
        )
    return _subscription_create_at_stripe(subscription)


def _subscription_create_at_stripe(subscription: Subscription) -> Subscription:
    # Outside any lock: Stripe calls may take a while. The row already holds the slot (PENDING), and its
    # pk is the idempotency key, so a retried request can't create a second subscription at Stripe.
    tenant, customer, product = subscription.tenant, subscription.customer, subscription.product
    try:
        plan_id = _plan_for(tenant, product, subscription.monthly_gross_cents)
        data = gateway.subscription_create(
            idempotency_key=f"subscription-{subscription.pk}", customer_id=customer.stripe_id, plan_id=plan_id,
            metadata={"town": tenant.schema_name, "subscription_row": str(subscription.pk)},
        )
    except gateway.GatewayError:
        Subscription.objects.filter(pk=subscription.pk, subscription_id=None).update(
            status=SubscriptionStatus.CANCELED, canceled_at=timezone.now()
        )
        raise
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        subscription.plan_id = plan_id
        subscription.subscription_id = data["id"]
        subscription.save(update_fields=["plan_id", "subscription_id"])
        subscription_apply_stripe(subscription=subscription, data=data)
        latest = data.get("latest_invoice")
        if latest:
            invoice_apply_stripe(customer=customer, data=gateway.invoice_retrieve(latest))
    subscription.refresh_from_db()
    return subscription


def platform_plan_start(*, tenant: Municipality, customer: StripeCustomer, product: Product) -> Subscription:
    """The town subscribes to one of the platform's published plans (same machinery as sponsors)."""
    if product.kind != ProductKind.PLATFORM_PLAN or not product.is_active:
        raise ValidationError(_("This is not one of the platform's plans."))
    if customer.tenant_id != tenant.pk or customer.organisation_id is not None:
        raise ValidationError(_("The plan must be paid by the town itself."))
    if not customer.default_payment_method_id:
        raise ValidationError(_("Please add a payment method first."))
    with transaction.atomic():
        StripeCustomer.objects.select_for_update().get(pk=customer.pk)
        if platform_plan_current(tenant=tenant) is not None:
            raise ValidationError(_("The town already has a plan."))
        subscription = Subscription.objects.create(
            tenant=tenant, customer=customer, product=product, plan_id="",
            monthly_net_cents=product.min_monthly_cents,
            monthly_gross_cents=gross_from_net(product.min_monthly_cents, product.vat_rate_percent),
            currency=product.currency, sponsor_name=tenant.name,
        )
    return _subscription_create_at_stripe(subscription)


def platform_plan_current(*, tenant: Municipality) -> Subscription | None:
    return (Subscription.objects.filter(tenant=tenant, product__kind=ProductKind.PLATFORM_PLAN,
                                        status__in=HOLDS_SLOT_STATUSES)
            .select_related("product", "customer").first())


def town_shares_credit(*, tenant: Municipality) -> int:
    """Credit the town's uncredited sponsorship shares against its plan's next invoice; returns cents credited."""
    plan = platform_plan_current(tenant=tenant)
    if plan is None or not plan.subscription_id:
        return 0
    with transaction.atomic():
        entries = list(LedgerEntry.objects.select_for_update().filter(
            tenant=tenant, credited_at=None, town_share_cents__gt=0,
        ).exclude(product_kind=ProductKind.PLATFORM_PLAN).order_by("pk"))
        amount = sum(entry.town_share_cents for entry in entries)
        if not amount:
            return 0
        # The key names the last entry credited: a retry after a crash makes no second credit at Stripe.
        gateway.invoice_item_create(
            idempotency_key=f"credit-{tenant.pk}-{entries[-1].pk}", customer_id=plan.customer.stripe_id,
            subscription_id=plan.stripe_id, plan_id=plan.plan_id, amount_cents=-amount, currency=plan.currency,
            description=_("Credit: the town's share of sponsorship income"),
        )
        LedgerEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(credited_at=timezone.now())
    return amount


@transaction.atomic
def subscription_change_plan(*, subscription: Subscription, product: Product,
                             target_id: int | None = None) -> Subscription:
    """Switch to another product the town offers (prorated); the promotion moves to the new slot."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status not in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE):
        raise ValidationError(_("Only a running sponsorship can change its plan."))
    if (product.kind in PATRON_KINDS or subscription.product.kind in PATRON_KINDS) and (
            product.kind != subscription.product.kind):
        raise ValidationError(_("A patronage can't be switched to another product. Please book the new one."))
    offer = _offer_for(subscription.tenant, product)
    _check_slot_free(tenant=subscription.tenant, product=product, offer=offer, target_id=target_id,
                     excluding=subscription, patron=PatronTarget(module_key=subscription.module_key,
                                                                 club_organisation_id=subscription.club_organisation_id))
    gross = gross_from_net(offer.monthly_net_cents, product.vat_rate_percent)
    plan_id = _plan_for(subscription.tenant, product, gross)
    data = gateway.subscription_change_plan(subscription_id=subscription.stripe_id, plan_id=plan_id)
    if product.kind in PATRON_KINDS:
        target_id = None  # a patronage keeps its module or club
    slot_before = subscription_slot(subscription)
    subscription.product, subscription.plan_id, subscription.target_id = product, plan_id, target_id
    slot_changed = subscription_slot(subscription) != slot_before
    subscription.monthly_net_cents, subscription.monthly_gross_cents = offer.monthly_net_cents, gross
    if slot_changed and subscription.promotion_id:
        Promotion.objects.filter(pk=subscription.promotion_id).update(
            status=PromotionStatus.ENDED, ends_at=timezone.now()
        )
        subscription.promotion = None
    subscription.save()
    subscription_apply_stripe(subscription=subscription, data=data)
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, at_period_end: bool = True) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == SubscriptionStatus.CANCELED or not subscription.subscription_id:
        raise ValidationError(_("This sponsorship has already ended."))
    data = gateway.subscription_cancel(subscription_id=subscription.stripe_id, at_period_end=at_period_end)
    subscription_apply_stripe(subscription=subscription, data=data)
    return subscription


def _stripe_period_end(data: dict[str, Any]) -> dt.datetime | None:
    value = data.get("current_period_end")
    if value is None:
        items = (data.get("items") or {}).get("data") or []
        value = items[0].get("current_period_end") if items else None
    return _timestamp(value)


def _stripe_plan_id(data: dict[str, Any]) -> str:
    items = (data.get("items") or {}).get("data") or []
    plan = (items[0].get("plan") if items else None) or data.get("plan") or {}
    return plan.get("id", "") if isinstance(plan, dict) else str(plan)


def subscription_status_compute(subscription: Subscription, *, now: dt.datetime | None = None) -> str:
    """Our status from Stripe's (last fetched), our invoice mirror and the grace period."""
    now = now or timezone.now()
    stripe_status = subscription.stripe_status
    if stripe_status in STRIPE_ENDED:
        return SubscriptionStatus.CANCELED
    if not stripe_status:
        return SubscriptionStatus.PENDING
    overdue = subscription.pk and subscription.invoices.filter(status="open", payment_failed_at__isnull=False).exists()
    if overdue or stripe_status == "past_due":
        if subscription.grace_until and subscription.grace_until <= now:
            return SubscriptionStatus.PAUSED
        return SubscriptionStatus.PAST_DUE
    if stripe_status in ("active", "trialing"):
        return SubscriptionStatus.ACTIVE
    return SubscriptionStatus.INCOMPLETE


def subscription_apply_stripe(*, subscription: Subscription, data: dict[str, Any]) -> Subscription:
    """Store what Stripe says about a subscription (fetched by us), then recompute status and promotion."""
    subscription.stripe_status = data.get("status", "")
    subscription.current_period_end = _stripe_period_end(data) or subscription.current_period_end
    subscription.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
    plan_id = _stripe_plan_id(data)
    if plan_id:
        subscription.plan_id = plan_id
    if subscription.stripe_status in STRIPE_ENDED and subscription.canceled_at is None:
        subscription.canceled_at = _timestamp(data.get("ended_at") or data.get("canceled_at")) or timezone.now()
    subscription_refresh(subscription=subscription)
    return subscription


def subscription_refresh(*, subscription: Subscription, now: dt.datetime | None = None) -> str:
    """Recompute status (and the promotion that follows from it) and save; returns the previous status."""
    previous = subscription.status
    subscription.status = subscription_status_compute(subscription, now=now)
    if subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED):
        subscription.grace_until = None
    elif subscription.grace_until is None:
        subscription.grace_until = (now or timezone.now()) + dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    subscription.save()
    promotion_sync(subscription=subscription)
    if previous != SubscriptionStatus.PAST_DUE and subscription.status == SubscriptionStatus.PAST_DUE:
        from billing.notifications import notify_payment_failed

        notify_payment_failed(subscription=subscription)
    return previous


def promotion_sync(*, subscription: Subscription) -> Promotion | None:
    """The subscription's slot entry: live while active (and during the grace period), paused, or ended."""
    slot_key, target_id = subscription_slot(subscription)
    if not slot_key:
        return None
    promotion = subscription.promotion
    before = promotion.status if promotion is not None else None
    promotion = _promotion_follow(subscription, promotion, slot_key=slot_key, target_id=target_id)
    if (promotion.status if promotion else None) != before:
        if subscription.product.kind in PATRON_KINDS:
            patrons_forget(tenant=subscription.tenant)  # a patron line appears or disappears
        else:
            promotions_forget(tenant=subscription.tenant, slot_key=slot_key, target_id=target_id)
    return promotion


def _promotion_follow(subscription: Subscription, promotion: Promotion | None, *, slot_key: str,
                      target_id: int | None) -> Promotion | None:
    status = subscription.status
    now = timezone.now()
    if status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE):
        if promotion is None or promotion.status == PromotionStatus.ENDED:
            promotion = Promotion.objects.create(
                tenant_id=subscription.tenant_id, slot_key=slot_key, target_id=target_id,
                sponsor_organisation_id=subscription.customer.organisation_id or 0,
                sponsor_name=subscription.sponsor_name, link_url=subscription.link_url, text=subscription.text,
                status=PromotionStatus.ACTIVE, starts_at=now,
            )
            subscription.promotion = promotion
            subscription.save(update_fields=["promotion"])
        elif promotion.status != PromotionStatus.ACTIVE:
            promotion.status = PromotionStatus.ACTIVE
            promotion.save(update_fields=["status"])
    elif status == SubscriptionStatus.PAUSED and promotion is not None and promotion.status == PromotionStatus.ACTIVE:
        promotion.status = PromotionStatus.PAUSED
        promotion.save(update_fields=["status"])
    elif status == SubscriptionStatus.CANCELED and promotion is not None and promotion.status != PromotionStatus.ENDED:
        promotion.status = PromotionStatus.ENDED
        promotion.ends_at = now
        promotion.save(update_fields=["status", "ends_at"])
    return promotion


# --- invoices and the ledger --------------------------------------------------------------------------


def _invoice_subscription_id(data: dict[str, Any]) -> str:
    if data.get("subscription"):
        return str(data["subscription"])
    details = ((data.get("parent") or {}).get("subscription_details") or {})
    return str(details.get("subscription") or "")


def invoice_apply_stripe(*, customer: StripeCustomer, data: dict[str, Any], payment_failed: bool = False) -> Invoice:
    """Mirror a (fetched) invoice of `customer`; a paid one goes to the ledger, dunning follows its state."""
    subscription = None
    subscription_id = _invoice_subscription_id(data)
    if subscription_id:
        # Only a subscription of this very customer: an invoice can't reach into another town's rows.
        subscription = Subscription.objects.select_for_update().filter(
            subscription_id=subscription_id, customer=customer
        ).first()
    vat_rate = subscription.product.vat_rate_percent if subscription else 19
    total = int(data.get("total") or 0)
    net = net_from_gross(total, vat_rate)
    invoice, _created = Invoice.objects.select_for_update().get_or_create(
        invoice_id=data["id"],
        defaults={"tenant_id": customer.tenant_id, "customer": customer, "subscription": subscription,
                  "status": data.get("status") or "draft", "total_cents": total, "net_cents": net,
                  "vat_cents": total - net, "vat_rate_percent": vat_rate,
                  "currency": data.get("currency") or "eur",
                  "issued_at": _timestamp(data.get("created") or data.get("date")) or timezone.now()},
    )
    if invoice.customer_id != customer.pk:
        logger.warning("invoice %s belongs to another customer; ignored", data["id"])
        return invoice
    invoice.status = data.get("status") or invoice.status
    invoice.total_cents, invoice.net_cents, invoice.vat_cents = total, net, total - net
    invoice.number = data.get("number") or invoice.number
    invoice.hosted_url = data.get("hosted_invoice_url") or invoice.hosted_url
    invoice.pdf_url = data.get("invoice_pdf") or invoice.pdf_url
    invoice.period_start = _timestamp(data.get("period_start")) or invoice.period_start
    invoice.period_end = _timestamp(data.get("period_end")) or invoice.period_end
    if invoice.status == "paid":
        transitions = data.get("status_transitions") or {}
        invoice.paid_at = invoice.paid_at or _timestamp(transitions.get("paid_at")) or timezone.now()
    elif payment_failed and invoice.status == "open" and invoice.payment_failed_at is None:
        invoice.payment_failed_at = timezone.now()
    invoice.save()
    if invoice.status == "paid" and total > 0:
        ledger_record(invoice=invoice)
    if subscription is not None:
        if not subscription.stripe_status or subscription.stripe_status == "incomplete":
            # The invoice may arrive before the subscription's own event: ask Stripe how it stands now.
            subscription_apply_stripe(subscription=subscription, data=gateway.subscription_retrieve(subscription_id))
        else:
            subscription_refresh(subscription=subscription)
    return invoice


def ledger_record(*, invoice: Invoice) -> LedgerEntry:
    """Split a paid invoice's net amount once: platform share, club share (Vereinspate), town share."""
    existing = LedgerEntry.objects.filter(invoice=invoice).first()
    if existing is not None:
        return existing
    subscription = invoice.subscription
    kind = subscription.product.kind if subscription else ProductKind.PLATFORM_PLAN
    net = invoice.net_cents
    platform = net * settings.BILLING_PLATFORM_SHARE_PERCENT // 100
    club = 0
    if kind == ProductKind.PLATFORM_PLAN:
        platform = net  # the town's own plan: all of it is the platform's income
    elif kind == ProductKind.CLUB_PATRON:
        club = (net - platform) * settings.BILLING_CLUB_SHARE_PERCENT // 100
    paid = invoice.paid_at or timezone.now()
    return LedgerEntry.objects.create(
        tenant_id=invoice.tenant_id, invoice=invoice, product_kind=kind,
        month=paid.date().replace(day=1), gross_cents=invoice.total_cents, net_cents=net,
        vat_cents=invoice.vat_cents, platform_share_cents=platform, town_share_cents=net - platform - club,
        club_share_cents=club, club_organisation_id=subscription.club_organisation_id if subscription else None,
        currency=invoice.currency,
    )


def invoice_pay_open(*, subscription: Subscription) -> list[Invoice]:
    """After a failed payment: charge the open invoices again with the customer's (new) default method."""
    paid = []
    for invoice in subscription.invoices.filter(status="open"):
        try:
            data = gateway.invoice_pay(invoice.invoice_id)
        except gateway.GatewayError as error:
            raise ValidationError(error.user_message) from error
        with transaction.atomic():
            paid.append(invoice_apply_stripe(customer=subscription.customer, data=data))
    return paid


# --- periodic work -----------------------------------------------------------------------------


def subscriptions_pause_overdue(*, now: dt.datetime | None = None) -> int:
    """Pause the promotions of subscriptions whose grace period is over (platform-wide, public schema)."""
    now = now or timezone.now()
    count = 0
    for pk in Subscription.objects.filter(status=SubscriptionStatus.PAST_DUE, grace_until__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().get(pk=pk)
            subscription_refresh(subscription=subscription, now=now)
            count += subscription.status == SubscriptionStatus.PAUSED
    return count


def town_shares_credit_all() -> int:
    """Credit every town's new sponsorship shares against its plan (runs with the nightly reconciliation)."""
    total = 0
    towns = Municipality.objects.filter(is_active=True, billing_subscriptions__product__kind=ProductKind.PLATFORM_PLAN)
    for tenant in towns.distinct():
        try:
            total += town_shares_credit(tenant=tenant)
        except gateway.GatewayError:
            logger.exception("could not credit the sponsorship share of %s", tenant.schema_name)
    return total


def subscriptions_reconcile() -> int:
    """Nightly: re-fetch every running subscription from Stripe (covers webhooks that never arrived)."""
    count = 0
    running = Subscription.objects.exclude(status=SubscriptionStatus.CANCELED).exclude(subscription_id=None)
    for pk, subscription_id in running.values_list("pk", "subscription_id"):
        try:
            data = gateway.subscription_retrieve(str(subscription_id))
        except gateway.GatewayError:
            logger.exception("reconcile: could not fetch %s", subscription_id)
            continue
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().get(pk=pk)
            subscription_apply_stripe(subscription=subscription, data=data)
        count += 1
    return count


def town_stripe_links_end(*, tenant: Municipality) -> list[str]:
    """A town is being deleted: end its subscriptions at Stripe once the deletion has committed (ISOLATION T19).

    Our own rows go with the town (CASCADE); Stripe must stop charging its sponsors and the town itself.
    """
    ids = [str(sid) for sid in Subscription.objects.filter(tenant=tenant).exclude(
        status=SubscriptionStatus.CANCELED).exclude(subscription_id=None).values_list("subscription_id", flat=True)]

    def cancel() -> None:
        for subscription_id in ids:
            try:
                gateway.subscription_cancel(subscription_id=subscription_id, at_period_end=False)
            except gateway.GatewayError:
                logger.exception("could not cancel %s of deleted town %s", subscription_id, tenant.schema_name)

    if ids:
        transaction.on_commit(cancel)
    return ids
