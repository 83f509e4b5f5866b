"""Whole answers for anonymous visitors, served from the town's page cache.

Most of a town's traffic is people who are not signed in: the start page, the news, the Pinnwand,
shared links, feed readers, apps reading the API. What they get is the same for every such visitor
in a town, language and address, so computing it again cost 9–27 ms of server CPU where a cache
read costs well under one (issue 20 B: anonymous pages at least 0.8× a plain Django page).

When an answer is kept, and when it is served:

- Only GET (HEAD reads what GET stored) in a town, for a visitor without a session: the request
  carries no cookie besides the CSRF and language cookies (a session, a flash message or a poll
  receipt makes the page personal) and no Authorization header.
- Only a 200 HTML, RSS/Atom, iCalendar or JSON answer of a request that saved nothing and counted
  its visitor nowhere (core.page_cache.request_is_personal: a confirmation link must work again, a
  per-IP limit must keep counting), that sets no cookie, has no ``Cache-Control: private, no-store
  or no-cache`` (``never_cache`` views) and varies on nothing but Cookie, Accept and Accept-Language.
- The key holds the town (the cache's KEY_FUNCTION puts the schema in front), scheme, host, full
  path, Accept header and the active language; the value holds the town's **visitor-pages
  generation** (core.page_cache.VISITOR_PAGES). Any tracked save, delete or m2m change in the town
  gives it a new one, so a change shows on the very next page. What changes with time alone (an
  event passed, a scheduled article) shows in the next window of VISITOR_PAGE_CACHE_SECONDS (the
  window is part of the key).
- A form's CSRF token is personal: while a page is rendered for the cache, ``{% csrf_token %}``
  writes a placeholder (``csrf_placeholder``, a context processor), and every visitor gets the
  placeholder replaced by a token of their own, with the cookie Django's CSRF middleware would set.
  A page whose view asked for a real token itself sets the CSRF cookie, so it isn't kept. The same
  replacement runs on every page, for signed-in people too: a fragment shared by everyone
  (core.templatetags.shared_fragments, the footer's language switch) is cached with the placeholder.
- Limits that count every call (the API's per-IP throttle) still count a cached answer:
  VISITOR_PAGE_HIT_CHECKS maps a path prefix to a check run before a hit is served; when it says
  no, the request takes the normal way and gets the normal refusal.

Tenant isolation (ISOLATION T6): keys and generations are per schema; a town's page is never read
under another town's prefix, whatever the host (tests/core/test_visitor_pages.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from core.page_cache import request_is_personal, visitor_pages_generation
from core.tenancy import connection

# Letters only, and as long as Django's masked token (64), which takes its place in an HTML attribute.
CSRF_PLACEHOLDER = "dorfkernVisitorPageCacheCsrfTokenPlaceholder".ljust(64, "X")
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
RENDERING_ATTR = "_visitor_page_render"
_CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "text/calendar",
                    "application/json")
_ALLOWED_VARY = {"cookie", "accept", "accept-language"}
_REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}
# Set again for every answer; the rest of the inner stack's headers are kept with the page.
_DROPPED_HEADERS = {"content-length", "set-cookie"}


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while a page is rendered for the cache, forms get the placeholder token."""
    if getattr(request, RENDERING_ATTR, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def cacheable_request(request: HttpRequest, *, cookies: set[str]) -> bool:
    """May this request's answer come from (and go to) a town's page cache at all? A GET or HEAD in a
    town while Redis answers, without credentials in a header, and carrying no cookie but `cookies`
    (anything else, a flash message say, is the visitor's own)."""
    return (settings.VISITOR_PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")
            and connection.schema_name != "public" and "HTTP_AUTHORIZATION" not in request.META
            and all(name in cookies for name in request.COOKIES) and cache_up())


def page_key(request: HttpRequest, seconds: int, *, audience: str = "") -> str:
    """The cache key of this address's page for everyone in `audience` ("" : anonymous visitors)."""
    # The time window in the key, not only the timeout: a page is never served after the window it was
    # rendered in, also when the clock jumps (the tests' clock; "open now" on a service page).
    window = int(timezone.now().timestamp()) // seconds
    where = "|".join((request.scheme or "", request.get_host(), get_language() or "",
                      str(request.META.get("HTTP_ACCEPT", "")), request.get_full_path(), str(window), audience))
    return "visitor-page:" + hashlib.blake2b(where.encode(), digest_size=20).hexdigest()


def shareable_answer(response: HttpResponseBase) -> bool:
    """Is `response` a page anyone else asking the same may get (whatever the request was)?"""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not str(response.get("Content-Type", "")).startswith(_CACHEABLE_TYPES):
        return False
    if any(part.strip().lower() not in _ALLOWED_VARY for part in cc_delim_re.split(response.get("Vary", ""))
           if part.strip()):
        return False
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & _REFUSED_CACHE_CONTROL


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    user = getattr(request, "user", None)
    return (shareable_answer(response) and not getattr(user, "is_authenticated", False)
            and not request_is_personal())


def cache_up() -> bool:
    # While Redis is away (core.cache_backends' breaker is open) pages are rendered as without this
    # cache: a page stored then would only add to the keys the backend remembers to delete later.
    is_available = getattr(cache, "is_available", None)
    return bool(is_available()) if callable(is_available) else True


def hit_allowed(request: HttpRequest) -> bool:
    for prefix, check in settings.VISITOR_PAGE_HIT_CHECKS.items():
        if request.path.startswith(prefix) and not import_string(check)(request):
            return False
    return True


def page_entry(request: HttpRequest, response: HttpResponse, generation: str) -> dict[str, Any]:
    """What the cache keeps of an answer: enough to give it again without the view (answer_from)."""
    return {
        "generation": generation,
        "content": response.content,
        "headers": {name: value for name, value in response.items() if name.lower() not in _DROPPED_HEADERS},
        "view": getattr(getattr(request, "resolver_match", None), "view_name", None),
        "data_images": getattr(request, "_csp_data_images", False),
    }


def answer_from(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    """The answer kept in `entry` (page_entry), and what the middlewares around read from the request."""
    response = HttpResponse(entry["content"], headers=entry["headers"])
    response["Content-Length"] = str(len(response.content))
    # The CSP's data: images, the metrics' view name.
    if entry["data_images"]:
        request._csp_data_images = True  # type: ignore[attr-defined]
    request.cached_view_name = entry["view"]  # type: ignore[attr-defined]
    return response


class VisitorPageCacheMiddleware:
    """Serves anonymous visitors' pages from the cache; put it right after the locale middlewares."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Only its cookie handling is used: reading the visitor's CSRF cookie and setting one.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not cacheable_request(request, cookies={settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}):
            # Shared fragments (core.templatetags.shared_fragments) carry the placeholder on every page.
            return self._with_token(request, self.get_response(request))
        seconds = settings.VISITOR_PAGE_CACHE_SECONDS
        key = page_key(request, seconds)
        generation, entry = visitor_pages_generation(also=key)
        if entry is not None and entry["generation"] == generation and hit_allowed(request):
            return self._served(request, entry)
        setattr(request, RENDERING_ATTR, True)
        response = self.get_response(request)
        setattr(request, RENDERING_ATTR, False)
        if request.method == "GET" and _storable(request, response):
            assert isinstance(response, HttpResponse)
            cache.set(key, page_entry(request, response, generation), seconds)
        return self._with_token(request, response)

    def _served(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
        response = answer_from(request, entry)
        # A signed-in person gets another page at this address: no shared cache may hand this one out.
        patch_vary_headers(response, ("Cookie",))
        # An API client that has the answer already (ETag, Last-Modified) gets a 304, as from the view.
        if response.has_header("ETag") or response.has_header("Last-Modified"):
            modified = parse_http_date_safe(response.get("Last-Modified", ""))
            conditional = get_conditional_response(request, etag=response.get("ETag"), last_modified=modified,
                                                   response=response)
            if conditional is not None and conditional is not response:
                return conditional
        return self._with_token(request, response)

    def _with_token(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The visitor's own CSRF token in place of the placeholder, and their CSRF cookie."""
        if not isinstance(response, HttpResponse) or response.streaming or _PLACEHOLDER_BYTES not in response.content:
            return response
        if "CSRF_COOKIE" not in request.META:
            self.csrf.process_request(request)
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        self.csrf.process_response(request, response)
        return response
