"""The waste calendar in the site-wide search: "Sperrmüll", "Papier", "Gelber Sack" find the type and its page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.search import SearchResult
from modules.waste.models import WasteType


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Waste types whose name or other names contain a word of the query (one query; the list is short)."""
    words = [word.casefold() for word in query.split() if len(word) >= 3]
    if not words:
        return []
    found = [kind for kind in WasteType.objects.all()
             if any(word in name for word in words for name in kind.names_for_import())]
    url = reverse("waste:index")
    return [SearchResult(title=kind.name, url=url, kind_label=_("Waste calendar"),
                         snippet=_("When %(type)s is collected in your street: the waste calendar.")
                         % {"type": kind.name}, rank=1.0)
            for kind in found[:limit]]
