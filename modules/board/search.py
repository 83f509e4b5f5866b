"""The Pinnwand in the site-wide search (core.search): current posts the visitor may see.

The text is searched through an expression index (``board_post_search_gin`` on
``to_tsvector('german', text)``): the filter below must use the same expression.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.board.models import Post
from modules.board.selectors import audience_q, current_q
from modules.board.services import headline

# The indexed expression (see the model's Meta.indexes).
DOCUMENT = SearchVector("text", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Posts for the whole town and the visitor's own Ortsgemeinde (every Ortsgemeinde for moderators), two queries.

    Hidden posts are never found, not even by their author; expired ones neither.
    """
    visible = Post.objects.filter(current_q() & audience_q(request.user) & Q(is_hidden=False))
    posts = ranked(visible, DOCUMENT, query, "-created_at", "-id").select_related("topic", "ortsgemeinde")[:limit]
    results = []
    for post in posts:
        title, rest = headline(post.text)
        results.append(SearchResult(
            title=title,
            url=post.get_absolute_url(),
            kind_label=_("Pinnwand · %(topic)s") % {"topic": post.topic.name},
            snippet=excerpt(rest, query),
            date=post.created_at,
            place=post.ortsgemeinde.name if post.ortsgemeinde_id else "",
            rank=float(post.rank),
        ))
    return results
