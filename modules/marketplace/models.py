"""Suche & Biete: residents and organisations offer or look for things and help.

Money is stored as integer cents with a currency (always EUR for now), never as a float.
Contact between people runs through the platform (ContactThread/ContactMessage) so that
nobody learns another person's e-mail address unless they write it into a message.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 4000
MESSAGE_MAX_LENGTH = 2000
MAX_PHOTOS = 4


def _token() -> str:
    return secrets.token_urlsafe(32)


class Category(Term):
    """A topic the town sorts listings into (Haushalt, Garten, Kinder ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("marketplace category")
        verbose_name_plural = _("marketplace categories")


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offering")
    REQUEST = "request", _("Looking for")


class ListingType(models.TextChoices):
    GIVE_AWAY = "give_away", _("Give away")
    LEND = "lend", _("Lend")
    SELL = "sell", _("Sell")
    SWAP = "swap", _("Swap")
    HELP = "help", _("Help wanted")


class PriceMode(models.TextChoices):
    NONE = "none", _("No price")
    FIXED = "fixed", _("Fixed price")
    NEGOTIABLE = "negotiable", _("Price negotiable")
    FREE = "free", _("Free")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESERVED = "reserved", _("Reserved")
    DONE = "done", _("Done")
    EXPIRED = "expired", _("Expired")
    REMOVED = "removed", _("Removed by a moderator")


# Shown in lists and on the detail page (reserved listings stay visible with a badge).
PUBLIC_STATUSES = (ListingStatus.ACTIVE, ListingStatus.RESERVED)


class Listing(models.Model):
    """One offer or request. Written only through modules.marketplace.services."""

    kind = models.CharField(_("offer or request"), max_length=10, choices=ListingKind.choices)
    listing_type = models.CharField(_("type"), max_length=12, choices=ListingType.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"))  # plain text, escaped on output
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="listings"
    )
    price_mode = models.CharField(_("price"), max_length=12, choices=PriceMode.choices, default=PriceMode.NONE)
    price_cents = models.PositiveIntegerField(_("price in cents"), null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR", editable=False)
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Set when an editor posts on behalf of their organisation; shown instead of the person's name.
    organisation = models.ForeignKey(
        "town.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE)
    expires_at = models.DateTimeField(_("visible until"))
    removed_reason = models.TextField(_("reason for removal"), blank=True)
    expiry_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="marketplace_listing_search_gin"),
            models.Index(fields=["status", "expires_at", "-created_at"], name="marketplace_listing_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_cents__isnull=True) | models.Q(price_cents__gte=0),
                name="marketplace_listing_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("marketplace:listing-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.expires_at > timezone.now()

    @property
    def price_display(self) -> str:
        from modules.marketplace.money import price_display

        return price_display(self.price_mode, self.price_cents)


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="marketplace/")
    alt = models.CharField(_("photo description"), max_length=250)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


class ContactThread(models.Model):
    """An interested person talking to a listing's owner, relayed by the platform."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="threads")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"thread {self.pk} on listing {self.listing_id}"


class ContactMessage(models.Model):
    """One relayed message. Its reply token lets the recipient answer once, on this town's site only."""

    thread = models.ForeignKey(ContactThread, on_delete=models.CASCADE, related_name="messages")
    from_owner = models.BooleanField(default=False)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    reply_token = models.CharField(max_length=64, unique=True, default=_token)
    reply_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} in thread {self.thread_id}"


class SavedSearch(models.Model):
    """A resident's search that mails them about new matching listings."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(_("search text"), max_length=200, blank=True)
    kind = models.CharField(_("offer or request"), max_length=10, choices=ListingKind.choices, blank=True)
    listing_type = models.CharField(_("type"), max_length=12, choices=ListingType.choices, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    free_only = models.BooleanField(_("only free"), default=False)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.query or "*"


class SavedSearchHit(models.Model):
    """Records that a saved search's owner was told about a listing: at most one mail per pair."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "listing"], name="marketplace_one_hit_per_listing"),
        ]

    def __str__(self) -> str:
        return f"search {self.saved_search_id} -> listing {self.listing_id}"
