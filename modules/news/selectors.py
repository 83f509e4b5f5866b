"""Reads for news. "Visible" means published, or scheduled with its time reached."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from core.page_cache import cached
from modules.news.models import Article, ArticleStatus, Category
from town.models import Ortsgemeinde

_Targets = Article.ortsgemeinden.through
# What news/_article_card.html shows: the list reads these, not the texts.
CARD_FIELDS = (
    "id", "title", "slug", "teaser", "image", "image_alt", "publish_at", "category_id", "organisation_id",
    "category__id", "category__name", "organisation__id", "organisation__name",
)


def visible_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status=ArticleStatus.PUBLISHED) | Q(status=ArticleStatus.SCHEDULED, publish_at__lte=now)


def for_ortsgemeinde_q(ortsgemeinde_id: int) -> Q:
    """Whole-town articles plus those aimed at this Ortsgemeinde (EXISTS, so no duplicate rows)."""
    return ~Exists(_Targets.objects.filter(article_id=OuterRef("pk"))) | Exists(
        _Targets.objects.filter(article_id=OuterRef("pk"), ortsgemeinde_id=ortsgemeinde_id)
    )


def article_list_visible(
    *,
    ortsgemeinde_id: int | None = None,
    category_slug: str | None = None,
    organisation_id: int | None = None,
    search: str | None = None,
    with_targets: bool = True,
    card_fields_only: bool = False,
) -> QuerySet[Article]:
    """Visible articles, newest first (best match first when searching).

    `ortsgemeinde_id` narrows to whole-town news plus that village's; None
    means every visible article. The search uses PostgreSQL's German
    stemmer, so "Feuerwehren" finds "Feuerwehr". `card_fields_only` reads just
    what an article card shows (news/_article_card.html), not the texts.
    """
    qs = Article.objects.filter(visible_q()).select_related("category", "organisation")
    if card_fields_only:
        qs = qs.only(*CARD_FIELDS)
    if with_targets:
        qs = qs.prefetch_related("ortsgemeinden")
    if ortsgemeinde_id is not None:
        qs = qs.filter(for_ortsgemeinde_q(ortsgemeinde_id))
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if search and search.strip():
        query = SearchQuery(search.strip(), config="german", search_type="websearch")
        qs = qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        return qs.order_by("-rank", "-publish_at", "-id")
    return qs.order_by("-publish_at", "-id")


def article_get_visible(*, slug: str) -> Article | None:
    return (
        Article.objects.filter(visible_q(), slug=slug)
        .select_related("category", "organisation")
        .prefetch_related("ortsgemeinden")
        .first()
    )


def article_get(*, slug: str) -> Article | None:
    """Any article, visible or not (for its editors)."""
    return (
        Article.objects.filter(slug=slug)
        .select_related("category", "organisation", "created_by")
        .prefetch_related("ortsgemeinden")
        .first()
    )


def article_list_manageable(*, user: Any) -> QuerySet[Article]:
    """What `user` may edit: everything for town admins, their organisations' articles for editors."""
    qs = Article.objects.select_related("category", "organisation").order_by(
        F("publish_at").desc(nulls_first=True), "-updated_at"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_town_admin:
        return qs
    from town.people_services import village_ids_of

    villages = village_ids_of(user)
    if not villages:
        return qs.filter(organisation__memberships__user=user)
    # An Ortsbürgermeister also edits official news addressed only to their own village(s).
    elsewhere = Article.ortsgemeinden.through.objects.filter(
        article_id=OuterRef("pk")).exclude(ortsgemeinde_id__in=villages)
    official = Q(organisation__isnull=True) & Q(pk__in=Article.ortsgemeinden.through.objects.filter(
        ortsgemeinde_id__in=villages).values("article_id")) & ~Exists(elsewhere)
    return qs.filter(Q(organisation__memberships__user=user) | official).distinct()


def article_list_fingerprint(qs: QuerySet[Article]) -> tuple[int, Any, Any]:
    """(count, newest change, newest publish time) of a list: changes whenever its content can change."""
    data = qs.order_by().aggregate(count=Count("id"), changed=Max("updated_at"), published=Max("publish_at"))
    return data["count"], data["changed"], data["published"]


def category_list() -> list[Category]:
    """The categories, cached per town until news data changes (the filter form on every list page)."""
    return cached("news-categories", ("news",), lambda: list(Category.objects.all()), seconds=3600)


def ortsgemeinde_get(*, slug: str) -> Ortsgemeinde | None:
    return Ortsgemeinde.objects.filter(slug=slug).first()
