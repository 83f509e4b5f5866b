"""Reads for the Mitbringdienst.

"Near" is modelled simply and honestly: Ortsgemeinden have no coordinates, so
requests from the viewer's own Ortsgemeinde come first and the others follow
alphabetically by village (the pages say so).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from core.audience import audience_fact
from modules.errands.facts import INVOLVED
from modules.errands.models import ErrandBlock, ErrandReport, ErrandRequest, ErrandStatus, Trip
from modules.errands.services import users_blocked_between

ACTIVE = (ErrandStatus.ACCEPTED, ErrandStatus.BOUGHT)


def _taken() -> Count:
    """Places of a trip taken by lists that were not given back or cancelled."""
    return Count("requests", distinct=True, filter=Q(requests__status__in=(*ACTIVE, ErrandStatus.DELIVERED)))


def _near_first(qs: QuerySet, home_ortsgemeinde_id: int | None, *, time_field: str) -> QuerySet:
    if home_ortsgemeinde_id is None:
        return qs.order_by("ortsgemeinde__name", time_field, "pk")
    qs = qs.annotate(
        distance_rank=Case(
            When(ortsgemeinde_id=home_ortsgemeinde_id, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    return qs.order_by("distance_rank", "ortsgemeinde__name", time_field, "pk")


def involved_fact(user: Any) -> str | None:
    """None when `user` has an open request or a block either way (the list is their own), else ""."""
    own = ErrandRequest.objects.filter(requester_id=user.pk, status=ErrandStatus.OPEN).values("pk")
    blocks = ErrandBlock.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).values("pk")
    return None if own.union(blocks).exists() else ""


def errand_list_open(
    *,
    viewer: Any = None,
    home_ortsgemeinde_id: int | None = None,
    ortsgemeinde_id: int | None = None,
    shop: str | None = None,
) -> QuerySet[ErrandRequest]:
    """Open requests whose window has not passed, not hidden, without people the viewer blocked (or was
    blocked by), without the viewer's own; own Ortsgemeinde first."""
    qs = ErrandRequest.objects.filter(
        status=ErrandStatus.OPEN, is_hidden=False, window_end__gt=timezone.now()
    ).select_related("ortsgemeinde", "requester")
    if getattr(viewer, "is_authenticated", False) and audience_fact(viewer, INVOLVED) is None:
        qs = qs.exclude(requester=viewer)
        blocked = users_blocked_between(viewer)
        if blocked:
            qs = qs.exclude(requester_id__in=blocked)
    if ortsgemeinde_id is not None:
        qs = qs.filter(ortsgemeinde_id=ortsgemeinde_id)
    if shop:
        qs = qs.filter(shop_name=shop)
    return _near_first(qs, home_ortsgemeinde_id, time_field="window_start")


def errand_shop_names_open() -> list[str]:
    """The shops named in open requests (for the list's shop filter), one query."""
    return list(
        ErrandRequest.objects.filter(status=ErrandStatus.OPEN, is_hidden=False, window_end__gt=timezone.now())
        .order_by("shop_name").values_list("shop_name", flat=True).distinct()
    )


def errand_list_fingerprint(qs: QuerySet[ErrandRequest]) -> tuple[int, Any]:
    data = qs.order_by().aggregate(count=Count("id"), changed=Max("updated_at"))
    return data["count"], data["changed"]


def errand_get(*, pk: int) -> ErrandRequest | None:
    return ErrandRequest.objects.select_related("ortsgemeinde", "requester", "helper", "trip").filter(pk=pk).first()


def errand_visible_to(errand: ErrandRequest, user: Any) -> bool:
    """The two people and moderators always; others while it isn't hidden and nobody blocked anybody."""
    if not getattr(user, "is_authenticated", False):
        return False
    if errand.is_party(user) or user.is_moderator:
        return True
    if errand.is_hidden:
        return False
    return errand.requester_id not in users_blocked_between(user)


def errand_list_mine(*, user: Any) -> QuerySet[ErrandRequest]:
    """Requests the person asked for: running ones first, then the finished ones, newest first."""
    return (
        ErrandRequest.objects.filter(requester=user)
        .select_related("ortsgemeinde", "helper")
        .annotate(done=Case(When(status__in=(ErrandStatus.DELIVERED, ErrandStatus.CANCELLED), then=Value(1)),
                            default=Value(0), output_field=IntegerField()))
        .order_by("done", "-window_start", "-pk")
    )


def errand_list_deliveries(*, user: Any) -> QuerySet[ErrandRequest]:
    """Requests the person accepted: to do first (soonest first), then delivered ones."""
    return (
        ErrandRequest.objects.filter(helper=user)
        .select_related("ortsgemeinde", "requester", "trip")
        .annotate(done=Case(When(status__in=(ErrandStatus.DELIVERED, ErrandStatus.CANCELLED), then=Value(1)),
                            default=Value(0), output_field=IntegerField()))
        .order_by("done", "window_start", "pk")
    )


def trip_list_upcoming(*, viewer: Any = None, home_ortsgemeinde_id: int | None = None) -> list[Trip]:
    """Trips not yet departed or cancelled; those serving the viewer's Ortsgemeinde (or every one) first."""
    qs = (
        Trip.objects.filter(is_cancelled=False, departure_at__gt=timezone.now())
        .select_related("helper")
        .prefetch_related("ortsgemeinden")
        .annotate(taken=_taken())
    )
    if getattr(viewer, "is_authenticated", False):
        blocked = users_blocked_between(viewer)
        if blocked:
            qs = qs.exclude(helper_id__in=blocked)
    if home_ortsgemeinde_id is not None:
        served = Trip.ortsgemeinden.through.objects.filter(trip_id=OuterRef("pk"))
        qs = qs.annotate(
            distance_rank=Case(
                When(~Exists(served), then=Value(0)),  # serves every village
                When(Exists(served.filter(ortsgemeinde_id=home_ortsgemeinde_id)), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        return list(qs.order_by("distance_rank", "departure_at", "pk"))
    return list(qs.order_by("departure_at", "pk"))


def trip_get(*, pk: int) -> Trip | None:
    return (
        Trip.objects.select_related("helper").prefetch_related("ortsgemeinden")
        .annotate(taken=_taken())
        .filter(pk=pk).first()
    )


def report_list_open() -> QuerySet[ErrandReport]:
    return (
        ErrandReport.objects.filter(resolved_at__isnull=True)
        .select_related("request", "request__requester", "request__ortsgemeinde", "reporter")
        .order_by("-created_at", "-pk")
    )


def errand_list_hidden() -> QuerySet[ErrandRequest]:
    return ErrandRequest.objects.filter(is_hidden=True).select_related("requester", "ortsgemeinde").order_by("-pk")


def block_list(*, user: Any) -> QuerySet[ErrandBlock]:
    return ErrandBlock.objects.filter(blocker=user).select_related("blocked")


def block_get(*, pk: int, user: Any) -> ErrandBlock | None:
    return ErrandBlock.objects.filter(pk=pk, blocker=user).first()
