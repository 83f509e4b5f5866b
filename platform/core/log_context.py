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


def current_town() -> str:
    """The town this code runs for: its slug, else the schema name ("public" outside a town)."""
    tenant = getattr(connection, "tenant", None)
    schema = getattr(connection, "schema_name", None) or "public"
    return str(getattr(tenant, "slug", None) or schema)


class TownContextFilter(logging.Filter):
    """Adds `town` (the town's slug, else the schema name), `schema_name` and `host` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        tenant = getattr(connection, "tenant", None)
        schema = getattr(connection, "schema_name", None) or "public"
        record.schema_name = schema
        record.town = getattr(tenant, "slug", None) or schema
        record.host = getattr(tenant, "domain_url", None) or _request_host.get()
        return True


# --- the signed-in person's id ---------------------------------------------------------------
# The request being served, so a log line can name who it was for. Read lazily: Django resolves
# request.user from the session only when something asks, and a log line must not cost a query
# (nor change the page's query count), so a user that nothing has looked at yet is logged as "-".
_request: ContextVar[object | None] = ContextVar("log_request", default=None)


def log_request_set(request: object | None) -> None:
    """Remember (or, with None, forget) the request whose log lines this thread writes."""
    _request.set(request)


def request_user_id(request: object | None = None) -> str:
    """The pk of the signed-in person of `request` (default: the current one), "-" if none or not loaded."""
    from django.utils.functional import empty

    request = request if request is not None else _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    if not getattr(user, "is_authenticated", False):
        return "-"
    return str(user.pk)


class UserContextFilter(logging.Filter):
    """Adds `user_id` to every record: the signed-in person's pk, "-" outside a request or when anonymous."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "user_id"):
            record.user_id = request_user_id()
        return True
