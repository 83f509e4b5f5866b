"""Settings for bench/tenancy_overhead.py: production-like (DEBUG off), optionally without tenant lookup."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
if os.environ.get("BENCH_FIXED_SCHEMA"):
    # Baseline: the same view and data, the schema fixed per process instead of looked up per request.
    MIDDLEWARE = ["fixed_tenant.FixedTenantMiddleware", *MIDDLEWARE[1:]]
