"""Reports in the site-wide search (core.search): the public ones, by their description.

The filter uses the indexed expression ``reports_report_search_gin`` (to_tsvector('german', description)).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.reports.selectors import public_reports

DOCUMENT = SearchVector("description", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Public reports (confirmed, approved, not merged), one query."""
    found = ranked(public_reports(), DOCUMENT, query, "-created_at", "-id").select_related(
        "category", "ortsgemeinde")[:limit]
    return [
        SearchResult(
            title=f"{r.category.name}: {r.get_status_display()}", url=r.get_absolute_url(),
            kind_label=_("Reported problem"), snippet=excerpt(r.description, query), date=r.created_at,
            place=r.ortsgemeinde.name if r.ortsgemeinde_id else "", rank=float(r.rank),
        )
        for r in found
    ]
