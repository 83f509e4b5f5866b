"""Every log line names the town it belongs to, and the host that was asked for.

django-tenants' TenantContextFilter reads only the connection's tenant; an error raised before the
town is known (say, while the host → town lookup itself fails) was logged as `[public:None]`, which
tells an operator nothing. The request's host is kept in a context variable set by the tenant
middleware first thing, so such lines still say which address was asked for.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.db import connection

_request_host: ContextVar[str] = ContextVar("request_host", default="-")


def request_host_set(host: str) -> None:
    """Remember the host of the request this thread (or task) is serving now."""
    _request_host.set(host or "-")


class TownContextFilter(logging.Filter):
    """Adds `town` (the town's slug, else the schema name), `schema_name` and `host` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        tenant = getattr(connection, "tenant", None)
        schema = getattr(connection, "schema_name", None) or "public"
        record.schema_name = schema
        record.town = getattr(tenant, "slug", None) or schema
        record.host = getattr(tenant, "domain_url", None) or _request_host.get()
        return True
