"""Past issues in the site-wide search: a word of any printed item finds the issue it appeared in."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt
from modules.bulletin.selectors import issue_search


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Published issues matching `query`, best first (one query, the GIN index)."""
    return [SearchResult(title=_("Mitteilungsblatt %(label)s") % {"label": issue.label},
                         url=issue.get_absolute_url(), kind_label=_("Mitteilungsblatt"),
                         snippet=excerpt(issue.search_text, query), date=issue.published_at,
                         rank=float(issue.rank))
            for issue in issue_search(query)[:limit]]
