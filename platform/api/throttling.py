"""Rate limits on the API: per token or signed-in person, per IP address, and on wrong tokens.

DRF's sliding-window throttles, counted in the default cache. The cache key names the town's schema
(and the cache's key function adds it again), so calls in town A never use up town B's allowance
(ISOLATION T6). Rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings, read at each
request so tests can lower them with override_settings:

- "user": per API token (each token of a person counts on its own) or per signed-in session;
- "anon": per client IP address for calls without credentials;
- "token_failure": wrong, revoked or expired tokens per IP address. Once reached, every token
  from that address is refused with 429 until the window has passed, so guessing tokens is slow.

The client address is core.ratelimit.client_ip (REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies
the address they saw). A refusal is 429 with Retry-After and a German "detail"
(api.exceptions.exception_handler).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.ratelimit import client_ip
from core.resident_pages import unwatched


class TownRateThrottle(SimpleRateThrottle):
    """A DRF throttle whose key carries the town's schema and whose rate is read at each request."""

    cache_format = "throttle:%(schema)s:%(scope)s:%(ident)s"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"schema": connection.schema_name, "scope": self.scope, "ident": ident}


class TownAnonRateThrottle(TownRateThrottle):
    """Calls without credentials, per client IP address."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None  # TownUserRateThrottle counts these
        return self.key_for(self.get_ident(request))


def cached_answer_allowed(request: HttpRequest) -> bool:
    """Count a call answered from the page cache (core.visitor_pages, core.resident_pages); False over the limit.

    Such a call never reaches DRF, yet it is a call like any other: it uses up the address's
    allowance, and once that is used up the request goes the normal way and gets DRF's 429.
    """
    user = getattr(request, "user", None)
    throttle: TownRateThrottle
    if user is not None and user.is_authenticated:
        # A signed-in person's call answered from their audience's shared page (core.resident_pages).
        throttle = TownUserRateThrottle()
        key = throttle.key_for_person(user)
    else:
        throttle = TownAnonRateThrottle()
        key = throttle.key_for(throttle.get_ident(request))  # type: ignore[arg-type]  # client_ip reads META only
    # DRF's own sliding window, keyed as for an anonymous call to the view (there is no DRF request here).
    throttle.get_cache_key = lambda _request, _view: key  # type: ignore[method-assign]
    return bool(throttle.allow_request(request, None))  # type: ignore[arg-type]


class TownUserRateThrottle(TownRateThrottle):
    """Calls with a token (per token) or a signed-in session (per person)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        token_id = getattr(request.auth, "pk", None)
        return self.key_for(f"token-{token_id}") if token_id is not None else self.key_for_person(request.user)

    def key_for_person(self, user: Any) -> str:
        """The count of a signed-in session's calls, also those answered from the page cache."""
        # The person's id only counts calls: it doesn't make the answer personal (core.resident_pages).
        return self.key_for(f"user-{unwatched(user).pk}")


class TokenFailureThrottle(TownRateThrottle):
    """Wrong tokens per client IP address: checked before a token is looked up, counted when it is wrong."""

    scope = "token_failure"

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request
        self.key = self.key_for(self.get_ident(request)) if self.rate else None
        self.history: list[float] = self.cache.get(self.key, []) if self.key else []
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def refuse_if_exhausted(self) -> None:
        if self.key and len(self.history) >= self.num_requests:
            raise Throttled(wait=self.wait())

    def record_failure(self) -> None:
        if self.key:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
