"""A list page that knows only whether a next page exists: one query, no COUNT.

Django's Paginator counts every matching row (a second statement that grows with the
table) to print "page 3 of 41". Public list pages need "newer" and "older" links, nothing
more, so `page_of` reads one row more than it shows: that extra row says there is a next
page. The object has the same interface as Django's Page that the templates and views
use (`object_list`, `number`, `has_next()`, `has_previous()`, ...), without `paginator`;
core/_pagination.html then leaves out the total.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Deep pages are for crawlers, not people: a larger number is read as this one.
MAX_PAGE = 1000


@dataclass(frozen=True)
class NextPage(Generic[T]):
    object_list: list[T]
    number: int
    has_more: bool
    per_page: int
    # Django's Page has a paginator with the total; this page deliberately has none.
    paginator: None = None

    def has_next(self) -> bool:
        return self.has_more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(value: Any) -> int:
    """The requested page: a positive whole number, 1 for anything else (as Paginator.get_page)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(items: Sequence[T] | Any, per_page: int, number: Any) -> NextPage[T]:
    """Page `number` of `items` (a queryset or list), reading `per_page` + 1 rows in one statement.

    A page past the end falls back to the first page (as Paginator.get_page does to the last one, which
    would need the count): a stale "older" link then shows the newest entries instead of an empty page.
    """
    wanted = page_number(number)
    offset = (wanted - 1) * per_page
    rows = list(items[offset : offset + per_page + 1])
    if not rows and wanted > 1:
        wanted, rows = 1, list(items[: per_page + 1])
    return NextPage(object_list=rows[:per_page], number=wanted, has_more=len(rows) > per_page, per_page=per_page)
