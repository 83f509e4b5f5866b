"""Paging by "newer / older" links, without counting the rows.

Django's Paginator counts every matching row to say "page 3 of 41": on a list read far more often
than it is paged through, that COUNT cost as much as the page itself. Asking for one row more than
the page shows answers the only question the links need (is there a next page?) in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# Deep pages are for crawlers, not people: beyond this, the last page is shown instead.
MAX_PAGE = 1000


@dataclass(frozen=True)
class PageSlice:
    """One page of a list; the names match Django's Page where templates use them."""

    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(raw: Any) -> int:
    """The page a `?page=` value asks for: 1 for anything that isn't a positive number."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_slice(queryset: QuerySet[Any], raw_number: Any, per_page: int) -> PageSlice:
    """Page `raw_number` (the request's `?page=`) of `queryset`, in one query and without a COUNT.

    A number past the end gives an empty page that still links back (has_previous).
    """
    number = page_number(raw_number)
    start = (number - 1) * per_page
    rows = list(queryset[start:start + per_page + 1])
    return PageSlice(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
