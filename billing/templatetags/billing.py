from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Cents as a German euro amount: 2380 → "23,80 €"."""
    value = (cents or 0) / 100
    whole, fraction = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{fraction} €"
