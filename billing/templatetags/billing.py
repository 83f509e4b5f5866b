from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Cents as a German euro amount: 2380 → "23,80 €"."""
    value = (cents or 0) / 100
    whole, fraction = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{fraction} €"


@register.filter
def product_summary(key: str) -> str:
    """What a catalogue product gives the sponsor, by product key ("" for products without a summary)."""
    from billing.catalogue import PRODUCT_SUMMARIES

    summary = PRODUCT_SUMMARIES.get(key)
    return str(summary) if summary is not None else ""


@register.filter
def club_months(months: Iterable[Any]) -> bool:
    """Whether any month of the ledger paid a club (the back office then lists what went to which Verein)."""
    return any(getattr(month, "clubs", ()) for month in months)
