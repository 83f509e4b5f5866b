"""Site-wide search: one page (/suche/) that asks every enabled module.

A module contributes by providing a :class:`SearchProvider`. Its
``search(request, query, limit)`` returns at most ``limit`` :class:`SearchResult`
rows, best match first, of what this visitor may see on the module's own pages
(their Ortsgemeinde's posts, groups they may read; never hidden, unpublished,
expired or unapproved content), in a fixed number of queries whatever the data
size. Providers use PostgreSQL's German full-text search through
:func:`search_query` and an index (a stored ``SearchVectorField`` or an
expression index), so a search stays fast as a town grows.

    def search(request, query, limit):
        rows = Post.objects.filter(visible_q(request.user)).annotate(
            document=SearchVector("text", config="german")).filter(document=search_query(query))
        ...
        return [SearchResult(title=..., url=..., kind_label=_("Pinnwand"), snippet=excerpt(post.text, query),
                             date=post.created_at, rank=post.rank) for post in rows[:limit]]
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from core.capabilities import Capability, Ref, call, provided

if TYPE_CHECKING:
    import datetime

    from django_stubs_ext import StrOrPromise

# Long enough for any sensible search; a longer text is refused with a message (and never reaches PostgreSQL).
QUERY_MAX_LENGTH = 100
# Results per module on the search page: the page stays short and every provider's query bounded.
RESULTS_PER_PROVIDER = 8
EXCERPT_LENGTH = 200
# Bounds on the work one search asks of PostgreSQL: words searched, and the shortest word matched as a start.
MAX_WORDS = 8
PREFIX_MIN_LENGTH = 3

# websearch_to_tsquery understands quotes, "or" and a leading "-"; without them each word is also
# matched as a word start (so "Feuerw" finds "Feuerwehr"), which the GIN index serves as well.
_OPERATORS = re.compile(r'"|(^|\s)-|\sor\s', re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchResult:
    """One hit. Plain text only: the page escapes ``title`` and ``snippet`` itself."""

    title: str
    url: str  # path on the town's site
    kind_label: str  # what it is, e.g. "Pinnwand · Hilfe", "Gruppe: Lauftreff"
    snippet: str = ""  # a plain-text excerpt around the words found
    date: datetime.datetime | datetime.date | None = None
    place: str = ""  # the Ortsgemeinde's name, "" for town-wide
    rank: float = 0.0  # PostgreSQL's ts_rank; orders the modules' sections on the page


@dataclass(frozen=True)
class SearchProvider(Capability):
    """What a module contributes to the site-wide search.

    ``search(request, query, limit)`` returns at most ``limit`` results, best first, that
    the visitor may see, in a fixed number of queries. ``label`` heads the module's section
    on the page; ``more_url_name`` names the module's own list page that takes ``?q=``
    (e.g. "news:article-list"), linked as "more results" when the section is full.
    """

    search: Ref  # (request, query: str, limit: int) -> Sequence[SearchResult]
    label: StrOrPromise
    more_url_name: str = ""
    order: int = 100


@dataclass(frozen=True)
class SearchSection:
    label: str
    results: Sequence[SearchResult]
    more_url: str = ""  # set only when the section may have more than it shows


def clean_query(raw: str | None) -> str:
    """The query with its whitespace collapsed ("" for nothing to search for)."""
    return " ".join((raw or "").split())


def search_query(query: str) -> SearchQuery:
    """The German full-text query for what a visitor typed (never raises, whatever they typed).

    Plain words must all be found, each also as the start of a longer word; with quotes,
    "or" or "-word" PostgreSQL's web-search syntax applies as typed.
    """
    if _OPERATORS.search(query):
        return SearchQuery(query, config="german", search_type="websearch")
    words = _WORD.findall(query)[:MAX_WORDS]
    if not words:
        return SearchQuery(query, config="german", search_type="websearch")
    # Only letters and digits reach the raw syntax, so nothing the visitor types can break it. Very short
    # words must match whole: "a:*" would match a large part of the index.
    terms = (f"{word}:*" if len(word) >= PREFIX_MIN_LENGTH else word for word in words)
    return SearchQuery(" & ".join(terms), config="german", search_type="raw")


def ranked(queryset: QuerySet[Any], document: str | SearchVector, query: str, *then: str) -> QuerySet[Any]:
    """`queryset` narrowed to the rows whose `document` matches what the visitor typed, best match first.

    `document` names a stored SearchVectorField (its GIN index is used) or is a SearchVector
    expression (a GIN expression index on the same expression is used). `then` breaks ties,
    e.g. "-created_at", "-id". Each row carries its ``rank``.
    """
    found = search_query(query)
    matching: QuerySet[Any]
    if isinstance(document, str):
        matching = queryset.filter(**{document: found}).annotate(rank=SearchRank(F(document), found))
    else:
        matching = (queryset.annotate(document=document).filter(document=found)
                    .annotate(rank=SearchRank(F("document"), found)))
    return matching.order_by("-rank", *then)


def _plain(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text or "")).split())


def _stems(query: str) -> list[str]:
    # A rough stand-in for the stemmer, good enough to place an excerpt: the first five letters.
    return [word.lower()[:5] for word in _WORD.findall(query) if len(word) >= 2]


def excerpt(text: str, query: str, *, length: int = EXCERPT_LENGTH) -> str:
    """Up to `length` characters of `text` (HTML or plain) around the first word of `query` in it."""
    plain = _plain(text)
    if len(plain) <= length:
        return plain
    lower = plain.lower()
    positions = [found for stem in _stems(query) if (found := lower.find(stem)) >= 0]
    start = max(0, min(positions) - length // 4) if positions else 0
    if start:
        # Begin at a word, not inside one.
        space = plain.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(plain), start + length)
    if end < len(plain):
        cut = plain.rfind(" ", start, end)
        end = cut if cut > start else end
    return ("… " if start else "") + plain[start:end] + (" …" if end < len(plain) else "")


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the words of `query` (and longer words they begin) marked."""
    stems = sorted({stem for stem in _stems(query)}, key=len, reverse=True)
    if not stems:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece of the visitor's or the content's text is escaped above


def _more_url(url_name: str, query: str) -> str:
    try:
        return f"{reverse(url_name)}?{urlencode({'q': query})}"
    except NoReverseMatch:
        return ""


def site_search(request: HttpRequest, query: str, *, limit: int = RESULTS_PER_PROVIDER) -> list[SearchSection]:
    """Every enabled module's results for `query`, one section per module, best section first.

    The cost is the sum of the providers' fixed query counts: it doesn't grow with the data.
    """
    query = clean_query(query)[:QUERY_MAX_LENGTH]
    if not query:
        return []
    sections: list[tuple[float, int, SearchSection]] = []
    providers = sorted(provided(SearchProvider), key=lambda provider: provider.order)
    for order, provider in enumerate(providers):
        results = list(call(provider.search, request, query, limit))[:limit]
        if not results:
            continue
        more = _more_url(provider.more_url_name, query) if provider.more_url_name and len(results) >= limit else ""
        best = max(result.rank for result in results)
        sections.append((-best, order, SearchSection(label=str(provider.label), results=results, more_url=more)))
    sections.sort(key=lambda entry: (entry[0], entry[1]))
    return [section for _best, _order, section in sections]
