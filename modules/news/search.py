"""News in the site-wide search (core.search): published articles, best match first."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.news.models import Article
from modules.news.selectors import visible_q


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Published articles (scheduled ones only once their time has come), two queries.

    Articles for single Ortsgemeinden are news for everyone, as on the news page itself.
    """
    articles = (
        ranked(Article.objects.filter(visible_q()), "search_vector", query, "-publish_at", "-id")
        .select_related("category")
        .prefetch_related("ortsgemeinden")[:limit]
    )
    results = []
    for article in articles:
        label = _("News")
        if article.category_id:
            label = _("News · %(category)s") % {"category": article.category.name}
        results.append(SearchResult(
            title=article.title,
            url=article.get_absolute_url(),
            kind_label=label,
            snippet=excerpt(f"{article.teaser} {article.body}", query),
            date=article.publish_at,
            place=", ".join(place.name for place in article.ortsgemeinden.all()),
            rank=float(article.rank),
        ))
    return results
