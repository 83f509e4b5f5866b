"""Limits on what visitors can write, counted per IP address (or per any key) in fixed windows.

Anonymous visitors may write in a few places (a Mängelmelder report, a ride request from a
Mitfahrbank, a poll open to everyone with the link). Each such view counts its writes per client
IP so that one address can't flood a town:

    @ip_limited("reports.create", limit=10, period=3600)
    def report_create(request): ...

Counters live in the cache. Its key function adds the town's schema, so a count in one town never
touches another (ISOLATION T6). The cache fails open (`core.cache_backends.ResilientRedisCache`):
while Redis is down nothing is limited, which is better than refusing every resident.

The client address is REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` reverse proxies, the entry
that many places from the right of X-Forwarded-For (the leftmost entries are the client's to forge).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def client_ip(request: HttpRequest) -> str:
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def _window_key(scope: str, key: str, period: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(time.time() // period)}"


def limit_reached(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """True when `key` already made `limit` writes of this kind in the current window (counts nothing)."""
    return int(cache.get(_window_key(scope, key, period)) or 0) >= limit


def count(scope: str, key: str, *, period: int = 3600) -> None:
    """Count one write of `key`; call it once the write really happened."""
    window = _window_key(scope, key, period)
    cache.add(window, 0, period)
    try:
        cache.incr(window)
    except ValueError:  # evicted between add and incr
        cache.set(window, 1, period)


def hit(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """Count one attempt and say whether it is still allowed (False once over the limit)."""
    if limit_reached(scope, key, limit=limit, period=period):
        return False
    count(scope, key, period=period)
    return True


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The 429 page: what happened and what to do, in the visitor's language; nothing was stored."""
    body = render_to_string("core/429.html", request=request)
    return HttpResponse(body, status=429, headers={"Retry-After": "3600"})


View = Callable[..., HttpResponse]


def ip_limited(scope: str, *, limit: int, period: int = 3600,
               methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """Refuse a view's writes (`methods`) from an IP address after `limit` of them in `period` seconds.

    Every attempt counts, also one the form then rejects: a flood of invalid posts costs the
    server as much as valid ones. Signed-in people are counted by IP too; a view that wants to
    spare them checks `request.user` itself.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and not hit(scope, client_ip(request), limit=limit, period=period):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
