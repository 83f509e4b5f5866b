"""Digitaler Rat & Gremien in the site-wide search (core.search): public recommendations and the RIS's papers."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.council.models import OparlPaper, Recommendation, RecommendationStatus

# The indexed expressions (council_reco_search_gin, council_paper_search_gin).
RECOMMENDATION_DOCUMENT = SearchVector("title", "text", config="german")
PAPER_DOCUMENT = SearchVector("name", "reference", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Recommendations past their draft (anyone may read them) and the RIS's papers; two queries."""
    recommendations = ranked(Recommendation.objects.exclude(status=RecommendationStatus.DRAFT),
                             RECOMMENDATION_DOCUMENT, query, "-created_at", "-id")[:limit]
    papers = ranked(OparlPaper.objects.all(), PAPER_DOCUMENT, query, "-date", "-id")[:limit]
    found = [SearchResult(title=r.title, url=r.get_absolute_url(), kind_label=_("Recommendation of the council"),
                          snippet=excerpt(r.text, query), date=r.created_at, rank=float(r.rank))
             for r in recommendations]
    found += [SearchResult(title=p.name, url=p.get_absolute_url(), kind_label=_("Council paper"),
                           snippet=p.reference, date=p.date, rank=float(p.rank)) for p in papers]
    return sorted(found, key=lambda r: -r.rank)[:limit]
