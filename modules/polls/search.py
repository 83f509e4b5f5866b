"""Umfragen in the site-wide search (core.search): published polls the visitor may see listed."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.polls.models import Poll
from modules.polls.selectors import audience_q

# The indexed expression (polls_poll_search_gin).
DOCUMENT = SearchVector("title", "description", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Published polls (open and closed) for the town and the visitor's Ortsgemeinde; link polls never (one query)."""
    visible = Poll.objects.filter(audience_q(request.user), is_published=True, opens_at__lte=timezone.now())
    polls = ranked(visible, DOCUMENT, query, "-opens_at", "-id").select_related("ortsgemeinde")[:limit]
    return [
        SearchResult(title=poll.title, url=poll.get_absolute_url(), kind_label=_("Poll"),
                     snippet=excerpt(poll.description, query), date=poll.opens_at,
                     place=poll.ortsgemeinde.name if poll.ortsgemeinde_id else "", rank=float(poll.rank))
        for poll in polls
    ]
