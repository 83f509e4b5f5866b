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


# --- the platform's catalogue ---------------------------------------------------------


class ProductKind(models.TextChoices):
    FEATURED_ENTRY = "featured_entry", _("Featured entry in a directory category")
    HOME_CARD = "home_card", _("Card on the start page")
    MODULE_PATRON = "module_patron", _("Module patron")
    CLUB_PATRON = "club_patron", _("Club patron")
    PLATFORM_PLAN = "platform_plan", _("Platform plan of a town")


# Which module promotion slot a product fills (core.modules.PromotionSlot.key). Patron products fill a
# slot per target that billing.promotions derives: "<module key>.patron" (Modulpate) or "core.club-patron"
# (Vereinspate, target: the club); billing.services.subscription_slot names it for a subscription.
PATRON_KINDS = ("module_patron", "club_patron")
SLOT_FOR_KIND: dict[str, str] = {
    ProductKind.FEATURED_ENTRY: "directory.category-top",
    ProductKind.HOME_CARD: "directory.home",
}


class Product(models.Model):
    """Something the platform sells (platform-wide); each town sets its own price within the range."""

    key = models.SlugField(max_length=50, unique=True)  # stable: part of Stripe product and plan ids
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    min_monthly_cents = models.PositiveIntegerField(_("lowest monthly price (net, cents)"))
    max_monthly_cents = models.PositiveIntegerField(_("highest monthly price (net, cents)"))
    currency = models.CharField(max_length=3, default="eur")
    vat_rate_percent = models.PositiveSmallIntegerField(_("VAT rate (%)"), default=19)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_monthly_cents__lte=models.F("max_monthly_cents")),
                                   name="product_price_range_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stripe_product_id(self) -> str:
        return f"dk-{self.key}"

    @property
    def slot_key(self) -> str:
        return SLOT_FOR_KIND.get(self.kind, "")


# --- what a town offers ------------------------------------------------------------------


class TownSponsorshipSettings(models.Model):
    """A town's switch for sponsorship and what it never wants sponsored."""

    tenant = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="sponsorship_settings")
    enabled = models.BooleanField(_("sponsorship enabled"), default=False)
    excluded_category_ids = models.JSONField(default=list, blank=True)  # directory category ids (town-side)
    excluded_terms = models.TextField(_("excluded topics (one per line)"), blank=True)
    excluded_module_keys = models.JSONField(default=list, blank=True)  # modules never offered for a Modulpate
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sponsorship {self.tenant_id}: {'on' if self.enabled else 'off'}"

    def excluded_term_list(self) -> list[str]:
        return [line.strip().lower() for line in self.excluded_terms.splitlines() if line.strip()]


class TownProductOffer(models.Model):
    """One product as a town offers it: its monthly net price and number of slots."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="product_offers")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    offered = models.BooleanField(_("offered"), default=False)
    monthly_net_cents = models.PositiveIntegerField(_("monthly price (net, cents)"))
    slots = models.PositiveSmallIntegerField(_("number of slots"), default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "product"], name="uniq_town_product_offer")]
        ordering = ["product__kind", "product__key"]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.product.key} {self.monthly_net_cents}"


# --- Stripe mirrors: every row names exactly one town ------------------------------------------


class StripeCustomer(models.Model):
    """Maps a Stripe customer to exactly one town: the only source of a webhook's town (ISOLATION T10)."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="stripe_customers")
    # town.Organisation id in the town's schema; null: the town itself, paying its platform plan.
    organisation_id = models.BigIntegerField(null=True, blank=True)
    customer_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    name = models.CharField(_("invoice name"), max_length=150)
    email = models.EmailField(_("billing e-mail"))
    address_line = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=20, blank=True)
    default_payment_method_id = models.CharField(max_length=255, blank=True)
    payment_method_label = models.CharField(max_length=80, blank=True)  # "Visa •••• 4242", shown to the business
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "organisation_id"], name="uniq_customer_per_organisation",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_id or 'not yet at Stripe'})"

    @property
    def stripe_id(self) -> str:
        if not self.customer_id:
            raise ValueError(f"customer {self.pk} has no Stripe customer yet")
        return self.customer_id


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment details")
    INCOMPLETE = "incomplete", _("First payment pending")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment overdue")
    PAUSED = "paused", _("Paused (payment overdue)")
    CANCELED = "canceled", _("Ended")


# Subscriptions that hold a slot (sold) even while a payment is pending or overdue.
HOLDS_SLOT_STATUSES = (SubscriptionStatus.PENDING, SubscriptionStatus.INCOMPLETE, SubscriptionStatus.ACTIVE,
                       SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED)


class Subscription(models.Model):
    """A sponsor's (or a town's) monthly plan for one product."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="billing_subscriptions")
    customer = models.ForeignKey(StripeCustomer, on_delete=models.CASCADE, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="subscriptions")
    subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    plan_id = models.CharField(max_length=255)
    monthly_net_cents = models.PositiveIntegerField()
    monthly_gross_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="eur")
    status = models.CharField(max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING)
    stripe_status = models.CharField(max_length=30, blank=True)  # as last fetched from Stripe
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    grace_until = models.DateTimeField(null=True, blank=True)  # set when a payment failed
    # What the sponsorship shows: the slot's target (e.g. a directory category), the sponsored club.
    target_id = models.BigIntegerField(null=True, blank=True)
    club_organisation_id = models.BigIntegerField(null=True, blank=True)
    module_key = models.CharField(max_length=50, blank=True)  # the sponsored module (Modulpate)
    # The module's or club's name when booked, shown to the sponsor (the club may be renamed or deleted later).
    target_label = models.CharField(max_length=150, blank=True)
    sponsor_name = models.CharField(max_length=150)
    text = models.CharField(max_length=300, blank=True)
    link_url = models.CharField(max_length=500, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    promotion = models.OneToOneField(Promotion, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="subscription")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "status"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.product.key} for {self.customer.name} ({self.status})"

    @property
    def stripe_id(self) -> str:
        if not self.subscription_id:
            raise ValueError(f"subscription {self.pk} is not at Stripe yet")
        return self.subscription_id


class Invoice(models.Model):
    """Mirror of a Stripe invoice, with the German invoice fields shown to the business."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="billing_invoices")
    customer = models.ForeignKey(StripeCustomer, on_delete=models.CASCADE, related_name="invoices")
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="invoices")
    invoice_id = models.CharField(max_length=255, unique=True)
    number = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=20)  # draft, open, paid, void, uncollectible
    total_cents = models.IntegerField()
    net_cents = models.IntegerField()
    vat_cents = models.IntegerField()
    vat_rate_percent = models.PositiveSmallIntegerField(default=19)
    currency = models.CharField(max_length=3)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_failed_at = models.DateTimeField(null=True, blank=True)
    hosted_url = models.URLField(max_length=500, blank=True)
    pdf_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number or self.invoice_id} ({self.status})"


class ProcessedEvent(models.Model):
    """A Stripe event applied once; stored in the same transaction as its effects."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    tenant = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=40)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.outcome})"


class LedgerEntry(models.Model):
    """Where a paid invoice's money goes: platform, town and (for a club patron) the club."""

    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="ledger_entries")
    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="ledger_entry")
    product_kind = models.CharField(max_length=20, choices=ProductKind.choices)
    month = models.DateField()  # first day of the month the invoice was paid
    gross_cents = models.IntegerField()
    net_cents = models.IntegerField()
    vat_cents = models.IntegerField()
    platform_share_cents = models.IntegerField()
    town_share_cents = models.IntegerField()
    club_share_cents = models.IntegerField(default=0)
    club_organisation_id = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    # When the town's share was credited against the town's own platform plan (a negative invoice item).
    credited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-pk"]
        indexes = [models.Index(fields=["tenant", "month"])]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.month:%Y-%m}: {self.gross_cents}"


class SponsorshipRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class SponsorshipRequest(models.Model):
    """A business asked a town without sponsorship to offer it ("Ask the town hall").

    The admins get a mail at once; this row lets them see all requests in the back office and
    mark the ones they answered. Town-side ids (business, person) are plain integers.
    """

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="sponsorship_requests")
    organisation_id = models.BigIntegerField()  # the business (town.Organisation in the town's schema)
    organisation_name = models.CharField(_("business"), max_length=200)
    user_id = models.BigIntegerField(null=True, blank=True)  # who asked (accounts.User in the town's schema)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=SponsorshipRequestStatus.choices,
                              default=SponsorshipRequestStatus.OPEN)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="billing_spreq_tenant_created")]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.organisation_name} ({self.status})"
