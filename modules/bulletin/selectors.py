"""Reads of the Mitteilungsblatt: the archive, one issue, its sections, the archive's search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from core.search import search_query
from modules.bulletin.models import Issue, IssueItem, IssueStatus, Subscription

# Exactly the indexed expression (models.Issue.Meta.indexes), so the GIN index is used.
DOCUMENT = SearchVector("search_text", config="german")


@dataclass
class Section:
    heading: str
    ortsgemeinde_id: int | None
    items: list[IssueItem] = field(default_factory=list)


def places() -> dict[int, str]:
    """The town's Ortsgemeinden by id (one query)."""
    from town.selectors import ortsgemeinde_list

    return {place.pk: place.name for place in ortsgemeinde_list()}


def absolute(url: str, origin: str) -> str:
    if not url or "://" in url:
        return url
    return origin + url


def sections_of(items: list[IssueItem], *, names: dict[int, str], town_heading: str,
                origin: str = "") -> list[Section]:
    """Items grouped as printed: the whole town first, then each Ortsgemeinde by name; in the editor's order."""
    town = Section(town_heading, None)
    by_place: dict[int, Section] = {}
    for item in sorted(items, key=lambda i: (i.position, i.pk or 0)):
        item.link = absolute(item.url, origin)  # type: ignore[attr-defined]
        place_id = item.ortsgemeinde_id if item.ortsgemeinde_id in names else None
        if place_id is None:
            town.items.append(item)
        else:
            by_place.setdefault(place_id, Section(names[place_id], place_id)).items.append(item)
    ordered = sorted(by_place.values(), key=lambda section: section.heading.casefold())
    return [section for section in (town, *ordered) if section.items]


def town_heading() -> str:
    from core.branding import current_town_name

    return _("All of %(town)s") % {"town": current_town_name()}


def issue_sections(issue: Issue, *, origin: str = "") -> list[Section]:
    """The printed (not left out) items of `issue` in their sections."""
    items = [item for item in issue.items.all() if not item.excluded and not item.source_removed]
    return sections_of(items, names=places(), town_heading=town_heading(), origin=origin)


def issue_list_published() -> QuerySet[Issue]:
    return Issue.objects.filter(status=IssueStatus.PUBLISHED).order_by("-year", "-number")


def issue_get_published(*, year: int, number: int) -> Issue | None:
    return issue_list_published().filter(year=year, number=number).first()


def issue_search(query: str) -> QuerySet[Issue]:
    """Published issues whose items match `query` (German full-text), best match first."""
    found = search_query(query)
    return (issue_list_published().annotate(document=DOCUMENT).filter(document=found)
            .annotate(rank=SearchRank(F("document"), found)).order_by("-rank", "-year", "-number"))


def issue_list_all() -> QuerySet[Issue]:
    return Issue.objects.order_by("-year", "-number")


def issue_get(*, pk: int) -> Issue | None:
    return Issue.objects.filter(pk=pk).first()


def is_subscribed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Subscription.objects.filter(user=user).exists()
