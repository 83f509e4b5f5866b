"""Reads of the town's own data."""

from __future__ import annotations

from django.core.cache import cache

from town.models import Ortsgemeinde, TownProfile

_PROFILE_KEY = "town-profile"


def town_profile_get() -> TownProfile:
    """The current town's profile (cached per schema; the cache key carries the schema name)."""
    profile = cache.get(_PROFILE_KEY)
    if profile is None:
        profile = TownProfile.objects.first() or TownProfile(name="")
        cache.set(_PROFILE_KEY, profile, 300)
    return profile


def forget_town_profile() -> None:
    cache.delete(_PROFILE_KEY)


def ortsgemeinde_list() -> list[Ortsgemeinde]:
    return list(Ortsgemeinde.objects.order_by("name"))


def user_ortsgemeinde_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "resident_profile", None)
    return profile.ortsgemeinde_id if profile else None
