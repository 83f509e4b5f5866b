"""Baseline middleware for bench/tenancy_overhead.py: Dorfkern's tenant middleware minus the host lookup.

The first version kept one Municipality instance for the life of the process. That
baseline did less work than the real middleware for reasons other than the lookup:
the instance's per-request memo of enabled modules (tenant_enabled_modules) survived
from one request to the next, so the baseline skipped a cache read per request, and
it never reset the schema to public or set `domain_url`. Comparing against it mixed
those differences into the "overhead".

Now the baseline runs the very same CachedTenantMiddleware code; only the one call that
maps a host to a town (tenant_for_host: a Redis GET, or a query on a miss) is replaced
by building a fresh Municipality from a row read once at start-up. A fresh instance
per request, as in production, so every per-request memo starts empty in both variants.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import tenants.middleware
from tenants.middleware import CachedTenantMiddleware


class FixedTenantMiddleware(CachedTenantMiddleware):
    def __init__(self, get_response: Callable[..., Any]) -> None:
        from tenants.models import Municipality
        from tenants.selectors import _TENANT_FIELDS

        super().__init__(get_response)
        row = Municipality.objects.filter(schema_name=os.environ["BENCH_FIXED_SCHEMA"]).values(*_TENANT_FIELDS).get()

        def fixed_tenant_for_host(hostname: str) -> Municipality:
            return Municipality(**row)

        # Only in the baseline's gunicorn process (BENCH_FIXED_SCHEMA set): the lookup becomes a constant.
        tenants.middleware.tenant_for_host = fixed_tenant_for_host
