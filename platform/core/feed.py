"""The resident's home feed: the newest items of every enabled module, merged by time.

Modules contribute through ``ModuleSpec.feed`` (core.modules.FeedSource). Each
source filters to what the visitor may see (their Ortsgemeinde, their groups)
and costs a fixed number of queries, so the feed's budget is the sum of its
sources' whatever the number of posts.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.modules import FeedItem, all_modules
from core.tenancy import current_tenant
from tenants.selectors import tenant_enabled_modules

HOME_FEED_SIZE = 12


def home_feed(request: HttpRequest, *, limit: int = HOME_FEED_SIZE) -> list[FeedItem]:
    """The `limit` newest feed items for this visitor, newest first."""
    tenant = current_tenant()
    if tenant is None:
        return []
    enabled = tenant_enabled_modules(tenant=tenant)
    items: list[FeedItem] = []
    for key, module in all_modules().items():
        if key in enabled and module.spec.feed is not None:
            items.extend(module.spec.feed.items(request, limit))
    items.sort(key=lambda item: item.published_at, reverse=True)
    return items[:limit]
