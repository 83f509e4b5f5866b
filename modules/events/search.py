"""Events in the site-wide search (core.search): public events, best match first (two queries at most)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.events.models import Event
from modules.events.selectors import visible_q


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    events = ranked(Event.objects.filter(visible_q()), "search_vector", query, "-starts_at", "-id").select_related(
        "ortsgemeinde", "venue", "category")[:limit]
    return [SearchResult(
        title=event.title, url=event.get_absolute_url(),
        kind_label=_("Event · %(category)s") % {"category": event.category.name} if event.category_id else _("Event"),
        snippet=excerpt(event.description, query), date=event.starts_at,
        place=event.ortsgemeinde.name if event.ortsgemeinde_id else "", rank=float(event.rank),
    ) for event in events]
