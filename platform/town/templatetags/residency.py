"""Residency in templates: the town's policy and the "Address confirmed" badge (no query per name)."""

from __future__ import annotations

from typing import Any

from django import template

from town.models import ResidencyPolicy
from town.residency_selectors import confirmed_resident_ids, residency_policy_get

register = template.Library()


@register.simple_tag
def residency_policy() -> ResidencyPolicy:
    return residency_policy_get()


@register.inclusion_tag("town/residency/_badge.html")
def resident_badge(user_id: Any) -> dict[str, bool]:
    """The badge after a name, for a confirmed resident (ids from one cached set: lists stay at their query count)."""
    return {"confirmed": user_id is not None and user_id in confirmed_resident_ids()}
