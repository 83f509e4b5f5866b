"""Reads about residency: the town's policy, a person's confirmation, the town hall's work list."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q

from core.page_cache import per_request, per_request_forget
from core.tenancy import connection
from town.models import ResidencyLetterCode, ResidencyMethod, ResidencyPolicy, ResidencyStatus, ResidencyVerification

# Keys of the tenant-aware cache (the key function adds the town's schema).
_POLICY_KEY = "town:residency-policy"
_CONFIRMED_KEY = "town:residency-confirmed"

# What a town can reserve for confirmed residents: action → the policy's switch.
ACTIONS = {"posting": "required_for_posting", "voting": "required_for_voting", "rides": "required_for_rides"}


def residency_policy_get() -> ResidencyPolicy:
    """The town's policy (unsaved default when the town never set one); cached, dropped when it changes."""
    if connection.schema_name == "public":  # the platform's own pages (staff accounts): no town, no check
        return ResidencyPolicy()
    policy = cache.get(_POLICY_KEY)
    if policy is None:
        policy = ResidencyPolicy.objects.first() or ResidencyPolicy()
        cache.set(_POLICY_KEY, policy, 3600)
    return policy


def residency_policy_forget() -> None:
    cache.delete(_POLICY_KEY)


def confirmed_resident_ids() -> frozenset[int]:
    """Ids of every confirmed resident, so a page can show badges next to any number of names without a
    query each (cached per town; services drop it when a confirmation changes)."""
    if connection.schema_name == "public":
        return frozenset()
    # A list asks once per name (board posts): Redis once per request, then the request's own copy.
    return per_request(_CONFIRMED_KEY, _confirmed_resident_ids_cached)


def _confirmed_resident_ids_cached() -> frozenset[int]:
    ids = cache.get(_CONFIRMED_KEY)
    if ids is None:
        ids = frozenset(ResidencyVerification.objects.filter(status=ResidencyStatus.VERIFIED)
                        .values_list("user_id", flat=True))
        cache.set(_CONFIRMED_KEY, ids, 3600)
    return ids


def confirmed_residents_forget() -> None:
    cache.delete(_CONFIRMED_KEY)
    per_request_forget(_CONFIRMED_KEY)


def is_confirmed_resident(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk in confirmed_resident_ids()


def residency_required_for(action: str) -> bool:
    """Whether the town reserves ``action`` (posting, voting, rides) for confirmed residents."""
    policy = residency_policy_get()
    if policy.method == ResidencyMethod.NONE:  # nobody could be confirmed: a switch alone restricts nothing
        return False
    return bool(getattr(policy, ACTIONS[action]))


def residency_of(user: Any) -> ResidencyVerification | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ResidencyVerification.objects.filter(user=user).first()


def residency_requests_pending() -> list[ResidencyVerification]:
    return list(ResidencyVerification.objects.filter(status=ResidencyStatus.PENDING)
                .select_related("user", "user__resident_profile__ortsgemeinde").order_by("requested_at"))


def residency_counts() -> dict[str, int]:
    counts = ResidencyVerification.objects.aggregate(
        confirmed=Count("pk", filter=Q(status=ResidencyStatus.VERIFIED)),
        pending=Count("pk", filter=Q(status=ResidencyStatus.PENDING)),
    )
    return {key: value or 0 for key, value in counts.items()}


def letter_batches() -> list[dict[str, Any]]:
    """Each print run of letter codes: when, for which village, how many codes, how many used."""
    rows = (ResidencyLetterCode.objects.values("batch")
            .annotate(total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False)),
                      created_at=Min("created_at"), ortsgemeinde=Max("ortsgemeinde__name"))
            .order_by("-batch"))
    return list(rows)
