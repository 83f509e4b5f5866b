"""The database connection, typed as what it is at run time: django-tenants' schema-aware wrapper.

`django.db.connection` is declared as a plain BaseDatabaseWrapper, so strict mypy
rejects `connection.schema_name`, `connection.tenant` and `connection.set_tenant()`.
Import `connection` from here instead; it is the very same proxy object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    from tenants.models import Municipality

connection = cast("DatabaseWrapper", _connection)


def current_tenant() -> Municipality | None:
    """The town whose schema is active; None on the public schema (there the tenant is a FakeTenant)."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return None
    # Every tenant but the public FakeTenant is a Municipality row (settings.TENANT_MODEL).
    return cast("Municipality", tenant)


__all__ = ["connection", "current_tenant"]
