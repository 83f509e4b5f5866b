"""Reads for the directory. "Visible" means approved by the town and published by the business."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from core import opening_hours
from core.cached_lists import CachedList
from core.maps import MAX_POINTS_PER_LAYER, MapPoint
from modules.directory.models import (
    Business,
    BusinessCategory,
    BusinessPhoto,
    BusinessStatus,
    OpeningException,
    OpeningInterval,
    WeeklyOffer,
)


def visible_q() -> Q:
    return Q(status=BusinessStatus.APPROVED, is_published=True)


def today_local() -> Any:
    return opening_hours.local_time(timezone.now()).date()


def _hours_prefetch(qs: QuerySet[Business]) -> QuerySet[Business]:
    # Exceptions that ended before yesterday can no longer affect "open now".
    yesterday = today_local() - timedelta(days=1)
    return qs.prefetch_related(
        "opening_intervals",
        Prefetch(
            "opening_exceptions",
            queryset=OpeningException.objects.filter(end_date__gte=yesterday),
            to_attr="recent_exceptions",
        ),
    )


def business_list_visible(
    *,
    category_slug: str | None = None,
    ortsgemeinde_id: int | None = None,
    near_ortsgemeinde_id: int | None = None,
    delivers: bool = False,
    search: str | None = None,
    open_at: datetime | None = None,
    open_now: bool = False,
    with_hours: bool = False,
) -> QuerySet[Business]:
    """Visible businesses by name (best match first when searching).

    `ortsgemeinde_id` keeps only that village's businesses; `near_ortsgemeinde_id`
    keeps all but sorts that village's first. `open_at` keeps those open at that
    moment (computed in Europe/Berlin by modules.directory.opening_hours); `open_now` does the
    same for the current minute from the cache.
    """
    qs = Business.objects.filter(visible_q()).select_related("ortsgemeinde")
    if with_hours:
        qs = _hours_prefetch(qs)
    if category_slug:
        qs = qs.filter(categories__slug=category_slug)
    if ortsgemeinde_id is not None:
        qs = qs.filter(ortsgemeinde_id=ortsgemeinde_id)
    if delivers:
        qs = qs.filter(delivers=True)
    if open_at is not None:
        qs = qs.filter(pk__in=business_ids_open_at(open_at))
    if open_now:
        qs = qs.filter(pk__in=list(open_state_now()))
    order: list[Any] = []
    if near_ortsgemeinde_id is not None:
        qs = qs.annotate(
            _near=Case(When(ortsgemeinde_id=near_ortsgemeinde_id, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
        )
        order.append("_near")
    if search and search.strip():
        query = SearchQuery(search.strip(), config="german", search_type="websearch")
        qs = qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        order.append("-rank")
    return qs.order_by(*order, "name", "id")


def business_ids_open_at(moment: datetime) -> list[int]:
    """Ids of the businesses open at `moment`, from two light queries whatever the number of businesses."""
    return sorted(open_state_at(moment))


# "Open now" for lists and the start page, cached per town for the current minute. Every
# change to hours or visibility replaces the town's version token (hours_changed), so an
# edit shows at once; otherwise the answer is at most a minute old, like the clock it follows.
_OPEN_VERSION_KEY = "directory:open-version"


def hours_changed() -> None:
    """Forget the cached 'open now' answers of the current town (the cache key carries the schema)."""
    cache.set(_OPEN_VERSION_KEY, uuid.uuid4().hex, None)


def open_state_now() -> dict[int, time]:
    """{business id: local closing time} of the businesses open now, cached for the current minute."""
    now = timezone.now()
    version = cache.get(_OPEN_VERSION_KEY) or "0"
    key = f"directory:open:{version}:{now:%Y%m%d%H%M}"
    state = cache.get(key)
    if state is None:
        state = open_state_at(now)
        cache.set(key, state, 120)
    return state


def open_state_at(moment: datetime) -> dict[int, time]:
    """{business id: local closing time} of the visible businesses open at `moment` (two queries).

    Only today's and yesterday's hours can matter (yesterday's for intervals past midnight).
    """
    today = opening_hours.local_time(moment).date()
    yesterday = today - timedelta(days=1)
    weekdays = (today.weekday(), yesterday.weekday())
    intervals: dict[int, list[opening_hours.Interval]] = defaultdict(list)
    for business_id, weekday, opens, closes, next_day in OpeningInterval.objects.filter(
        weekday__in=weekdays, business__status=BusinessStatus.APPROVED, business__is_published=True
    ).values_list("business_id", "weekday", "opens", "closes", "closes_next_day"):
        intervals[business_id].append(opening_hours.Interval(weekday, opens, closes, next_day))
    exceptions: dict[int, list[opening_hours.Exception_]] = defaultdict(list)
    for business_id, start, end, closed, opens, closes, next_day in OpeningException.objects.filter(
        start_date__lte=today, end_date__gte=yesterday
    ).values_list("business_id", "start_date", "end_date", "closed", "opens", "closes", "closes_next_day"):
        exceptions[business_id].append(opening_hours.Exception_(start, end, closed, opens, closes, next_day))
    # Special hours can open a business on a day without regular hours.
    state: dict[int, time] = {}
    for business_id in set(intervals) | set(exceptions):
        until = opening_hours.open_until(moment, intervals.get(business_id, []), exceptions.get(business_id, []))
        if until is not None:
            state[business_id] = until
    return state


def hours_of(business: Business) -> tuple[list[opening_hours.Interval], list[opening_hours.Exception_]]:
    """A business's hours as plain values (uses the prefetched rows when there are any)."""
    intervals = [
        opening_hours.Interval(i.weekday, i.opens, i.closes, i.closes_next_day)
        for i in business.opening_intervals.all()
    ]
    rows = getattr(business, "recent_exceptions", None)
    if rows is None:
        rows = business.opening_exceptions.all()
    exceptions = [
        opening_hours.Exception_(e.start_date, e.end_date, e.closed, e.opens, e.closes, e.closes_next_day)
        for e in rows
    ]
    return intervals, exceptions


def business_is_open(business: Business, moment: datetime) -> bool:
    intervals, exceptions = hours_of(business)
    return opening_hours.is_open_at(moment, intervals, exceptions)


def offers_current_q() -> Q:
    return Q(valid_until__gte=today_local())


def business_get_visible(*, slug: str) -> Business | None:
    return (
        _hours_prefetch(Business.objects.filter(visible_q(), slug=slug))
        .select_related("ortsgemeinde")
        .prefetch_related(
            "categories",
            "photos",
            Prefetch("offers", queryset=WeeklyOffer.objects.filter(offers_current_q()), to_attr="current_offers"),
        )
        .first()
    )


def business_get(*, slug: str) -> Business | None:
    """Any business, visible or not (for its managers and the back office)."""
    return (
        Business.objects.filter(slug=slug)
        .select_related("ortsgemeinde", "organisation", "applicant", "reviewed_by")
        .prefetch_related("categories")
        .first()
    )


def business_get_by_id(*, pk: int) -> Business | None:
    return Business.objects.filter(pk=pk).select_related("ortsgemeinde").first()


def business_list_pending() -> QuerySet[Business]:
    return Business.objects.filter(status=BusinessStatus.PENDING).select_related(
        "ortsgemeinde", "applicant"
    ).order_by("created_at", "id")


def business_list_of_member(user: Any) -> QuerySet[Business]:
    """The businesses `user` runs or applied for ('my businesses')."""
    if not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    applied = Q(applicant=user) & ~Q(status=BusinessStatus.APPROVED)
    return (
        Business.objects.filter(Q(organisation__memberships__user=user) | applied)
        .select_related("ortsgemeinde")
        .order_by("name", "id")
        .distinct()
    )


def business_list_fingerprint(qs: QuerySet[Business]) -> tuple[int, Any]:
    data = qs.order_by().aggregate(count=Count("id"), changed=Max("updated_at"))
    return data["count"], data["changed"]


def _categories_build() -> list[BusinessCategory]:
    return list(BusinessCategory.objects.all())


# The list's filter choices on every visit; the town admin's change shows on the next request.
_categories = CachedList("directory.categories", _categories_build, models=(BusinessCategory,))


def category_list() -> list[BusinessCategory]:
    return _categories.get()


def promotion_targets() -> list[tuple[int, str]]:
    """The categories a featured entry can be bought for (billing's PromotionSlot.targets)."""
    return [(category.pk, category.name) for category in BusinessCategory.objects.all()]


def photo_list(business: Business) -> list[BusinessPhoto]:
    return list(business.photos.all())


def map_points(request: HttpRequest) -> list[MapPoint]:
    """The Branchenbuch's map layer: every visible business with a position (two queries)."""
    businesses = (
        Business.objects.filter(visible_q(), latitude__isnull=False, longitude__isnull=False)
        .prefetch_related("categories")
        .order_by("name")[:MAX_POINTS_PER_LAYER]
    )
    return [business_map_point(business) for business in businesses]


def with_category_ids(qs: QuerySet[Business]) -> QuerySet[Business]:
    """Each business's category ids in one column (`category_ids`), instead of a second query for the categories;
    the list's search index stays in the database (it is large and never shown)."""
    ids = Business.categories.through.objects.filter(business_id=OuterRef("pk")).values("businesscategory_id")
    return qs.defer("search_vector").annotate(category_ids=ArraySubquery(ids))


def categories_attach(businesses: list[Business], categories: list[BusinessCategory]) -> list[Business]:
    """`category_list` on each business (annotated by with_category_ids), in the categories' order, from the
    town's cached categories."""
    for business in businesses:
        own = set(business.category_ids or ())  # type: ignore[attr-defined]
        business.category_list = [category for category in categories if category.pk in own]  # type: ignore[attr-defined]
    return businesses


def business_map_point(business: Business) -> MapPoint:
    categories = getattr(business, "category_list", None)
    if categories is None:
        categories = list(business.categories.all())
    place = f"{business.postal_code} {business.locality}".strip()
    address = ", ".join(part for part in (business.street, place) if part)
    return MapPoint(
        lat=float(business.latitude),  # type: ignore[arg-type]
        lon=float(business.longitude),  # type: ignore[arg-type]
        title=business.name,
        url=business.get_absolute_url(),
        text=address,
        category=categories[0].name if categories else "",
    )
