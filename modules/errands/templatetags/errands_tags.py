from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """1250 → "12,50 €" (in the active language's number format)."""
    if cents is None:
        return ""
    return f"{number_format(Decimal(cents) / 100, 2)} €"
