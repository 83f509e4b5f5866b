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

Signed-in people's writes (posts, comments, messages, reports, listings) have a limit per person and
hour on top of the moderation module's limits for new accounts: `write_limit_check("board.post",
user, what=_("posts"))` in the service, right before storing. The limits are `WRITE_LIMITS_PER_HOUR`
in settings; a scope missing there is not limited. Rates given as text ("600/min") in settings are
read with `parse_rate`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from core.page_cache import request_mark_personal

_PERIODS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/min" → (600, 60): how many in which period (s, min, hour or day)."""
    count_text, _slash, period_text = rate.partition("/")
    period = _PERIODS.get(period_text.strip().lower())
    if not count_text.strip().isdigit() or period is None:
        raise ValueError(f"not a rate like '600/min': {rate!r}")
    return int(count_text), period


def retry_after(period: int) -> int:
    """Seconds until the current window of `period` seconds ends and its counts are forgotten."""
    return max(1, period - int(time.time()) % period)


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
    # What a page says or does depends on this visitor's count now: no other visitor may get it.
    request_mark_personal()
    return int(cache.get(_window_key(scope, key, period)) or 0) >= limit


def count(scope: str, key: str, *, period: int = 3600) -> None:
    """Count one write of `key`; call it once the write really happened."""
    request_mark_personal()
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


def too_many_requests(request: HttpRequest, *, period: int = 3600) -> HttpResponse:
    """The 429 page: what happened and what to do, in the visitor's language; nothing was stored."""
    body = render_to_string("core/429.html", request=request)
    return HttpResponse(body, status=429, headers={"Retry-After": str(retry_after(period))})


def write_limit_check(scope: str, user: Any, *, what: str) -> None:
    """Refuse (ValidationError, in German) a person's write beyond WRITE_LIMITS_PER_HOUR[scope]; else count it.

    `what` names the things in the plural for the message ("Beiträge"). Call it in the service
    after the input was checked and right before storing, so a refused form costs nothing. Counted
    per person in the current town (the cache key carries the schema) and clock hour.
    """
    limit = getattr(settings, "WRITE_LIMITS_PER_HOUR", {}).get(scope)
    if limit is None or not getattr(user, "is_authenticated", False):
        return
    if not hit(f"write.{scope}", f"user:{user.pk}", limit=int(limit), period=3600):
        minutes = -(-retry_after(3600) // 60)
        raise ValidationError(
            ngettext(
                "You can send at most %(limit)d %(what)s per hour. Nothing was saved: please try again in "
                "%(minutes)d minute.",
                "You can send at most %(limit)d %(what)s per hour. Nothing was saved: please try again in "
                "%(minutes)d minutes.",
                minutes,
            ) % {"limit": int(limit), "what": what, "minutes": minutes},
            code="rate_limited",
        )


View = Callable[..., HttpResponse]


def _too_many_requests_page(request: HttpRequest, period: int) -> HttpResponse:
    return too_many_requests(request, period=period)


def ip_limited(scope: str, *, limit: int = 0, period: int = 3600, rate_setting: str = "",
               methods: tuple[str, ...] = ("POST",),
               refuse: Callable[[HttpRequest, int], HttpResponse] | None = None) -> Callable[[View], View]:
    """Refuse a view's writes (`methods`) from an IP address after `limit` of them in `period` seconds.

    Every attempt counts, also one the form then rejects: a flood of invalid posts costs the
    server as much as valid ones. Signed-in people are counted by IP too; a view that wants to
    spare them checks `request.user` itself. With `rate_setting` the limit is read from that
    setting ("600/min") at each request, so tests and operators can change it. `refuse(request,
    period)` answers instead of the HTML 429 page (a machine endpoint answers plain text).
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            most, seconds = parse_rate(getattr(settings, rate_setting)) if rate_setting else (limit, period)
            if request.method in methods and not hit(scope, client_ip(request), limit=most, period=seconds):
                return (refuse or _too_many_requests_page)(request, seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
