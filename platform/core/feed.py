"""The resident's home feed: the newest items of every enabled module, merged by time.

Modules contribute by providing a core.modules.FeedSource. Each
source filters to what the visitor may see (their Ortsgemeinde, their groups)
and costs a fixed number of queries, so the feed's budget is the sum of its
sources' whatever the number of posts.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from core.capabilities import call, provided_by_module
from core.modules import FeedItem, FeedSource
from core.page_cache import cached, visitor_key

HOME_FEED_SIZE = 12
# New posts show at once (their module's generation changes); this bounds what only time changes.
HOME_FEED_CACHE_SECONDS = 60


def home_feed(request: HttpRequest, *, limit: int = HOME_FEED_SIZE) -> list[FeedItem]:
    """The `limit` newest feed items for this visitor, newest first, cached per visitor.

    Per person, not per Ortsgemeinde: sources filter by the visitor's groups too. Any change to a
    source module's data or to the town app (a resident's village) forgets it.
    """
    sources = provided_by_module(FeedSource)
    if not sources:
        return []

    def compute() -> list[FeedItem]:
        items: list[FeedItem] = []
        for _module, source in sources:
            items.extend(call(source.items, request, limit))
        items.sort(key=lambda item: item.published_at, reverse=True)
        return items[:limit]

    labels = _depends_on(sources)
    name = f"home-feed:{limit}:{','.join(labels)}:{visitor_key(request, 'user')}"
    return cached(name, labels, compute, seconds=HOME_FEED_CACHE_SECONDS)


def home_feed_section(request: HttpRequest) -> str:
    """The start page's "New in your village" section for this visitor, "" when there is nothing in it.

    A hole in the start page residents share (core.resident_pages): each person's feed is kept rendered,
    so filling it costs a cache read, not a template render, for as long as the feed itself is kept.
    """
    labels = _depends_on(provided_by_module(FeedSource))

    def compute() -> str:
        feed = home_feed(request)
        return render_to_string("core/_home_feed.html", {"feed": feed}) if feed else ""

    name = f"home-feed-section:{','.join(labels)}:{visitor_key(request, 'user')}"
    return cached(name, labels, compute, seconds=HOME_FEED_CACHE_SECONDS)


def _depends_on(sources: list[tuple[Any, FeedSource]]) -> list[str]:
    """The apps whose changes the feed shows: every source module's, and the town app's (a resident's village)."""
    # A module's app label is its key; getattr for stand-ins without one (tests' fake modules).
    return sorted({getattr(module, "label", "") for module, _source in sources} | {"town"})
