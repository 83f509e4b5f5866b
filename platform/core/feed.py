"""The resident's home feed: the newest items of every enabled module, merged by time.

Modules contribute by providing a core.modules.FeedSource. Each
source filters to what the visitor may see (their Ortsgemeinde, their groups)
and costs a fixed number of queries, so the feed's budget is the sum of its
sources' whatever the number of posts.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.capabilities import call, provided
from core.modules import FeedItem, FeedSource

HOME_FEED_SIZE = 12


def home_feed(request: HttpRequest, *, limit: int = HOME_FEED_SIZE) -> list[FeedItem]:
    """The `limit` newest feed items for this visitor, newest first."""
    items: list[FeedItem] = []
    for source in provided(FeedSource):
        items.extend(call(source.items, request, limit))
    items.sort(key=lambda item: item.published_at, reverse=True)
    return items[:limit]
