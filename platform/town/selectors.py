"""Reads of the town's own data."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from core.page_cache import cached, per_request, per_request_forget
from town.models import OfficeHour, Ortsgemeinde, TownProfile

_PROFILE_KEY = "town-profile"


def town_profile_get() -> TownProfile:
    """The current town's profile (cached per schema; the cache key carries the schema name).

    Read from Redis once per request however often the page asks (the frame and the view both do).
    """
    return per_request(_PROFILE_KEY, _town_profile_cached)


def _town_profile_cached() -> TownProfile:
    profile = cache.get(_PROFILE_KEY)
    if profile is None:
        profile = TownProfile.objects.first() or TownProfile(name="")
        # The contact card on every page lists the town-wide office hours: cached with the profile,
        # so pages pay no query for them (receivers.py drops the cache when one changes).
        profile.office_hours = office_hours_townwide()
        cache.set(_PROFILE_KEY, profile, 300)
    return profile


def forget_town_profile() -> None:
    cache.delete(_PROFILE_KEY)
    per_request_forget(_PROFILE_KEY)


def office_hours_townwide() -> list[OfficeHour]:
    return list(OfficeHour.objects.filter(ortsgemeinde__isnull=True))


def office_hour_list() -> list[OfficeHour]:
    return list(OfficeHour.objects.select_related("ortsgemeinde"))


def ortsgemeinde_list() -> list[Ortsgemeinde]:
    """The town's villages by name, cached per town until town data changes (filters on every list page)."""
    return cached("ortsgemeinden", ("town",), lambda: list(Ortsgemeinde.objects.order_by("name")), seconds=3600)


def user_ortsgemeinde_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "resident_profile", None)
    return profile.ortsgemeinde_id if profile else None


# How people read a referring model; models not named here use their verbose names.
_REFERENCE_NAMES = {"town.residentprofile": (_("resident"), _("residents"))}


def ortsgemeinde_references(ortsgemeinde: Ortsgemeinde) -> list[dict]:
    """What points at this village, found from the model graph so module content counts too.

    Each entry: the referring model's plural name, how many rows, and what
    deleting the village does to them ("unset", "delete", "untarget", "block").
    Relations declared with related_name="+" are hidden from the usual list,
    hence include_hidden.
    """
    from django.db import models

    found = []
    for relation in Ortsgemeinde._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if model._meta.auto_created:
            continue  # the hidden through table of a many-to-many: counted via the relation itself
        count = model._base_manager.filter(**{relation.field.name: ortsgemeinde}).count()
        if not count:
            continue
        if relation.many_to_many:
            effect = "untarget"
        else:
            effect = {models.SET_NULL: "unset", models.CASCADE: "delete"}.get(relation.on_delete, "block")
        singular, plural = _REFERENCE_NAMES.get(model._meta.label_lower, (model._meta.verbose_name,
                                                                          model._meta.verbose_name_plural))
        found.append({"label": singular if count == 1 else plural, "count": count, "effect": effect})
    return found
