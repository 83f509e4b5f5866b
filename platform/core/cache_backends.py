"""A Redis cache that degrades instead of failing: with Redis down, every town keeps working.

Why a backend and not a helper around each call: the cache is used on a town page's request path by
code we own (host → town lookup, enabled modules, module settings, primary domain, town profile,
patrons, notification counts) and by code we don't (allauth's login and signup rate limits, DRF's
throttles). A `cache_get_or_none()` helper would cover only the first group and every new call would
have to remember it; a backend configured in settings covers all of them at once, so a new
`cache.get()` can't bring back the "Redis down → every town answers 500" failure (issue 18).

On a connection error or timeout each operation answers as if the key were absent and the write had
been dropped:

- reads (`get`, `get_many`, `has_key`) miss, so every get-or-compute caller reads PostgreSQL;
- writes (`set`, `set_many`, `delete`, `touch`, `clear`) are dropped. The keys they touched are
  remembered (per process, up to MAX_PENDING_KEYS) and deleted as soon as Redis answers again: a
  `delete` meant to invalidate (a module switched off, a domain removed during the outage) must not
  leave a value cached before the outage alive until its timeout when Redis was only unreachable,
  not restarted empty. Deleting is always safe here: the next read just recomputes;
- `add` answers True and `incr`/`decr` answer `delta`: counters and "once per interval" guards
  (allauth's login attempt limits, DRF throttles, the tile proxy's and marketplace's limits) fail
  open, so nobody is locked out while the limit can't be counted. Brute-force protection is off for
  as long as Redis is; the warning in the log says so.

A circuit breaker keeps a dead Redis from costing every call its timeout: after one failure the
cache is skipped (per process, per server) for RETRY_AFTER_SECONDS, then tried again. With the
socket timeouts from settings, a dead or hanging Redis costs a request at most one timeout.

One client per process: Django's RedisCacheClient builds a new `redis.Redis` object on every call
(four GETs of a page cost 0.7 ms, issue 20), and Django keeps one backend, so one connection pool, per
thread. SharedRedisCacheClient builds each server's client once and every backend instance of the
process with the same LOCATION and OPTIONS uses it (`shared_client`). redis-py's clients and pools are
thread-safe, and a pool notices a fork (it compares the pid) and opens fresh connections in the child.

Only connection-level errors are swallowed (redis' ConnectionError and TimeoutError, which cover
refused, reset and timed-out sockets): a wrong-type reply or a value that can't be pickled is a bug
and still raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("core.cache")

_T = TypeVar("_T")
_Timeout = float | None

# Errors that mean "Redis can't be reached right now", not "the call was wrong".
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# Server location → monotonic time until which it is considered down. Shared by the threads of a
# process (Django builds one backend instance per thread), so one failure spares every thread.
_down_until: dict[str, float] = {}
# Server location → made keys (schema prefix included) whose write was dropped during the outage.
_pending_deletes: dict[str, set[str]] = {}
_lock = threading.Lock()
# Beyond this many dropped writes per process the rest are only bounded by their timeouts.
MAX_PENDING_KEYS = 10_000


# (LOCATION, OPTIONS) → the process's client for them; see SharedRedisCacheClient.
_shared_clients: dict[str, SharedRedisCacheClient] = {}


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per server built once instead of on every call."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client = cast(Any, self)  # Django's private attributes, which the stubs don't declare
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            with _lock:
                client = self._clients.get(index)
                if client is None:
                    pools = django_client._pools
                    if index not in pools:
                        pools[index] = django_client._pool_class.from_url(
                            django_client._servers[index], **django_client._pool_options
                        )
                    client = self._clients[index] = django_client._client(connection_pool=pools[index])
        return client


def shared_client(servers: list[str], options: dict[str, Any]) -> SharedRedisCacheClient:
    """The process's client for these servers and options (built on first use, under the lock)."""
    key = repr((list(servers), sorted(options.items())))
    client = _shared_clients.get(key)
    if client is None:
        with _lock:
            client = _shared_clients.get(key)
            if client is None:
                client = _shared_clients[key] = SharedRedisCacheClient(list(servers), **options)
    return client


def cache_breakers_reset() -> None:
    """Forget every tripped breaker (tests, and an operator's shell after Redis is back)."""
    with _lock:
        _down_until.clear()
        _pending_deletes.clear()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that answers a miss (and drops writes) while Redis can't be reached.

    OPTIONS may carry RETRY_AFTER_SECONDS (default 5): how long a failed server is skipped. The other
    OPTIONS go to redis-py as with the stock backend (socket_connect_timeout, socket_timeout, ...).
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker_key = server if isinstance(server, str) else ";".join(server)

    @cached_property
    def _cache(self) -> SharedRedisCacheClient:
        # Every thread's backend instance (Django builds one per thread) gets the process's client.
        return shared_client(cast(Any, self)._servers, cast(Any, self)._options)

    def is_available(self) -> bool:
        """False while the breaker is open (a recent call found Redis unreachable)."""
        return _down_until.get(self._breaker_key, 0.0) <= time.monotonic()

    def _remember(self, keys: Iterable[Any], version: int | None) -> None:
        # The made key, not the caller's: django-tenants' key function prefixes the schema of the
        # moment, and the replay runs in whatever schema the first successful call happens in.
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        with _lock:
            pending = _pending_deletes.setdefault(self._breaker_key, set())
            pending.update(made[: max(0, MAX_PENDING_KEYS - len(pending))])

    def _replay(self) -> None:
        """Delete the keys whose writes were dropped; raises (keeping them) while Redis is still away."""
        with _lock:
            keys = _pending_deletes.pop(self._breaker_key, set())
        if not keys:
            return
        try:
            # The client, not delete_many(): these keys are made already (schema prefix included).
            cast(Any, self)._cache.delete_many(list(keys))
        except UNAVAILABLE:
            with _lock:
                _pending_deletes.setdefault(self._breaker_key, set()).update(keys)
            raise
        logger.info("Deleted %d cache keys whose writes were dropped while the cache was down", len(keys))

    def _guarded(
        self, operation: str, call: Callable[[], _T], fallback: _T,
        *, writes: Iterable[Any] = (), version: int | None = None,
    ) -> _T:
        if not self.is_available():
            self._remember(writes, version)
            return fallback
        try:
            # Before the call: its read must not return a value whose invalidation was dropped.
            if self._breaker_key in _pending_deletes:
                self._replay()
            result = call()
        except UNAVAILABLE as error:
            self._remember(writes, version)
            with _lock:
                first = self._breaker_key not in _down_until
                _down_until[self._breaker_key] = time.monotonic() + self.retry_after
            # One warning per outage (not one per call): a dead Redis must not flood the log.
            log = logger.warning if first else logger.info
            log(
                "Cache unavailable during %s (%s): serving from the database, rate limits open; "
                "retrying in %.1f s",
                operation, error, self.retry_after,
            )
            return fallback
        if self._breaker_key in _down_until:
            with _lock:
                back = _down_until.pop(self._breaker_key, None) is not None
            if back:
                logger.warning("Cache available again")
        return result

    # Each operation: Django's own, guarded. `writes` names the keys to delete once Redis is back.
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guarded("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def set(self, key: Any, value: Any, timeout: _Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guarded(
            "set", lambda: RedisCache.set(self, key, value, timeout, version), None, writes=[key], version=version
        )

    def set_many(
        self, data: dict[Any, Any], timeout: _Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guarded(
            "set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data),
            writes=list(data), version=version,
        )

    def add(self, key: Any, value: Any, timeout: _Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # True: an "only once per interval" guard lets the caller through rather than refusing everyone
        # (allauth's rate-limit lock would otherwise wait a second on every call, then refuse).
        return self._guarded(
            "add", lambda: RedisCache.add(self, key, value, timeout, version), True, writes=[key], version=version
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # `delta`: as if the counter had just started, so a limit counted here is never reached.
        return self._guarded(
            "incr", lambda: RedisCache.incr(self, key, delta, version), delta, writes=[key], version=version
        )

    def touch(self, key: Any, timeout: _Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(
            "touch", lambda: RedisCache.touch(self, key, timeout, version), False, writes=[key], version=version
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(
            "delete", lambda: RedisCache.delete(self, key, version), False, writes=[key], version=version
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guarded(
            "delete_many", lambda: RedisCache.delete_many(self, keys, version), None, writes=keys, version=version
        )

    def clear(self) -> None:
        self._guarded("clear", lambda: RedisCache.clear(self), None)
