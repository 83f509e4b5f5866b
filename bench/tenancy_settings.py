"""Production-like settings (DEBUG off) for the benches that run gunicorn: tenancy_overhead.py, memory.py, page_cpu.py.

With BENCH_REDIS_CLIENT_PER_CALL set, the cache builds a Redis client per call (page_cpu.py --before).
With BENCH_FIXED_SCHEMA set, the tenant middleware is the baseline of tenancy_overhead.py
(fixed_tenant.FixedTenantMiddleware: the same code without the host lookup).
"""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
if os.environ.get("BENCH_FIXED_SCHEMA"):
    MIDDLEWARE = ["fixed_tenant.FixedTenantMiddleware", *MIDDLEWARE[1:]]
if os.environ.get("BENCH_REDIS_CLIENT_PER_CALL"):
    # bench/page_cpu.py --before: the cache backend as it was before issue 20.
    from config.settings.base import CACHES

    CACHES["default"]["BACKEND"] = "percall_cache.PerCallRedisCache"
