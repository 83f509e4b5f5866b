"""Vorschläge in the site-wide search (core.search): proposals nobody hid."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.proposals.models import Proposal

# The indexed expression (proposals_search_gin).
DOCUMENT = SearchVector("title", "text", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Proposals that aren't hidden (hidden ones not even for their author), one query."""
    proposals = ranked(Proposal.objects.filter(is_hidden=False), DOCUMENT, query, "-created_at", "-id")
    return [
        SearchResult(title=p.title, url=p.get_absolute_url(), kind_label=_("Proposal"),
                     snippet=excerpt(p.text, query), date=p.created_at,
                     place=p.ortsgemeinde.name if p.ortsgemeinde_id else "", rank=float(p.rank))
        for p in proposals.select_related("ortsgemeinde")[:limit]
    ]
