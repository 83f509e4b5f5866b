"""Prices as integer cents, typed and shown the German way ("12,50 €")."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PRICE_CENTS = 100_000_000  # 1 million euros: anything above is a typo in a village marketplace

# "12", "12,5", "12,50", "1.250,00", "12.50", optionally with "€"/"EUR"; no minus sign.
_AMOUNT = re.compile(r"^(?P<euros>\d{1,3}(?:\.\d{3})+|\d+)(?:[,.](?P<cents>\d{1,2}))?$")


def euros_to_cents(text: str) -> int:
    """Parse what a person typed into a price field; raise ValidationError with a clear message."""
    cleaned = (text or "").strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("-"):
        raise ValidationError(_("A price cannot be below zero."), code="negative")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValidationError(_("Enter a price in euros, for example 12,50."), code="invalid")
    euros = int(match["euros"].replace(".", ""))
    cents = int((match["cents"] or "0").ljust(2, "0"))
    total = euros * 100 + cents
    if total > MAX_PRICE_CENTS:
        raise ValidationError(_("This price is too high."), code="too_high")
    return total


def cents_to_input(cents: int | None) -> str:
    """The value to put back into a price field ("12,50")."""
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}"


def format_eur(cents: int) -> str:
    """German money format: 1250 -> "12,50 €", 125000 -> "1.250,00 €" (non-breaking space before €)."""
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}\u00a0€"


def price_display(price_mode: str, price_cents: int | None) -> str:
    if price_mode == "free":
        return _("Free")
    if price_mode == "fixed" and price_cents is not None:
        return format_eur(price_cents)
    if price_mode == "negotiable":
        # "VB" in German: an asking price open to offers, or just "make an offer" without one.
        if price_cents is not None:
            return _("%(price)s or nearest offer") % {"price": format_eur(price_cents)}
        return _("Price negotiable")
    return ""
