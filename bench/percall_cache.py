"""The cache backend as it was before issue 20, for bench/page_cpu.py --before: a Redis client per call.

Dorfkern's ResilientRedisCache with Django's own client class again, which builds a `redis.Redis`
object on every call and keeps one connection pool per thread's backend instance.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

from core.cache_backends import ResilientRedisCache


class PerCallRedisCache(ResilientRedisCache):
    @cached_property
    def _cache(self) -> Any:
        return RedisCacheClient(self._servers, **self._options)  # type: ignore[attr-defined]
