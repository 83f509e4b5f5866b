"""Reads for Suche & Biete. "Public" means active or reserved, and not past its expiry."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import BooleanField, Case, Count, F, Max, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.cached_lists import CachedList
from modules.marketplace.models import (
    PUBLIC_STATUSES,
    Category,
    ContactMessage,
    Listing,
    ListingPhoto,
    PriceMode,
    SavedSearch,
)


def public_q() -> Q:
    return Q(status__in=PUBLIC_STATUSES, expires_at__gt=timezone.now())


def _with_relations(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    return qs.select_related("category", "ortsgemeinde", "organisation", "owner").prefetch_related(
        Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "id"))
    )


def listing_list_public(
    *,
    search: str | None = None,
    kind: str | None = None,
    listing_type: str | None = None,
    category_slug: str | None = None,
    ortsgemeinde_id: int | None = None,
    free_only: bool = False,
) -> QuerySet[Listing]:
    """Public listings, newest first (best match first when searching with the German stemmer).

    `ortsgemeinde_id` narrows to that village's listings plus town-wide ones (no village).
    """
    qs = _with_relations(Listing.objects.filter(public_q()))
    if kind:
        qs = qs.filter(kind=kind)
    if listing_type:
        qs = qs.filter(listing_type=listing_type)
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    if ortsgemeinde_id is not None:
        qs = qs.filter(Q(ortsgemeinde_id=ortsgemeinde_id) | Q(ortsgemeinde__isnull=True))
    if free_only:
        qs = qs.filter(price_mode=PriceMode.FREE)
    if search and search.strip():
        query = SearchQuery(search.strip(), config="german", search_type="websearch")
        qs = qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        return qs.order_by("-rank", "-created_at", "-id")
    return qs.order_by("-created_at", "-id")


def listing_list_home(*, ortsgemeinde_id: int | None, limit: int) -> tuple[list[Listing], list[Listing]]:
    """For the start page, in one query: the newest listings of the resident's village, and the newest
    of the rest of the town (other villages and town-wide ones), each at most `limit`."""
    order = [F("created_at").desc(), F("id").desc()]
    qs = Listing.objects.filter(public_q()).select_related("ortsgemeinde", "category")
    if ortsgemeinde_id is None:
        return [], list(qs.order_by(*order)[:limit])
    # Row numbers within "this village" and within "the rest of the town"; PostgreSQL keeps the first
    # `limit` of each in the same statement.
    here = Case(When(ortsgemeinde_id=ortsgemeinde_id, then=Value(True)), default=Value(False),
                output_field=BooleanField())
    rows = list(
        qs.annotate(rank=Window(RowNumber(), partition_by=[here], order_by=order))
        .filter(rank__lte=limit)
        .order_by(*order)
    )
    nearby = [row for row in rows if row.ortsgemeinde_id == ortsgemeinde_id]
    town_wide = [row for row in rows if row.ortsgemeinde_id != ortsgemeinde_id]
    return nearby, town_wide


def listing_get_public(*, pk: int) -> Listing | None:
    return _with_relations(Listing.objects.filter(public_q(), pk=pk)).first()


def listing_get(*, pk: int) -> Listing | None:
    """Any listing, whatever its status (for its owner and moderators)."""
    return _with_relations(Listing.objects.filter(pk=pk)).first()


def listing_list_of_user(*, user: Any) -> QuerySet[Listing]:
    """The person's own listings and those of their organisations, newest first, every status."""
    if not getattr(user, "is_authenticated", False):
        return Listing.objects.none()
    return _with_relations(
        Listing.objects.filter(Q(owner=user) | Q(organisation__memberships__user=user)).distinct()
    ).order_by("-created_at", "-id")


def listing_list_fingerprint(qs: QuerySet[Listing]) -> tuple[int, Any]:
    data = qs.order_by().aggregate(count=Count("id"), changed=Max("updated_at"))
    return data["count"], data["changed"]


def _categories_build() -> list[Category]:
    return list(Category.objects.all())


# The filter's choices on every visit; the town admin's change shows on the next request.
_categories = CachedList("marketplace.categories", _categories_build, models=(Category,))


def category_list() -> list[Category]:
    return _categories.get()


def saved_search_list(*, user: Any) -> list[SavedSearch]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(SavedSearch.objects.filter(user=user).select_related("category", "ortsgemeinde"))


def saved_search_get(*, pk: int, user: Any) -> SavedSearch | None:
    """Only the person's own saved search: someone else's is as good as missing (404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SavedSearch.objects.filter(pk=pk, user=user).first()


def saved_search_by_token(*, token: str) -> SavedSearch | None:
    return SavedSearch.objects.filter(unsubscribe_token=token).select_related("category", "ortsgemeinde").first()


def contact_message_by_token(*, token: str) -> ContactMessage | None:
    return (
        ContactMessage.objects.filter(reply_token=token)
        .select_related("thread__listing", "thread__sender", "thread__listing__owner")
        .first()
    )
