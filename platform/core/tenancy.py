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


def current_town() -> Municipality:
    """The Municipality row of the active schema, also under schema_context().

    schema_context() leaves only django-tenants' FakeTenant (a schema name, no pk) on the
    connection, so the row is then read from the public schema by that name. Raises
    Municipality.DoesNotExist where no town owns the schema.
    """
    tenant = connection.tenant
    if getattr(tenant, "pk", None) is not None:
        return cast("Municipality", tenant)
    from django_tenants.utils import get_public_schema_name, schema_context

    from tenants.models import Municipality

    schema_name = connection.schema_name
    with schema_context(get_public_schema_name()):
        return Municipality.objects.get(schema_name=schema_name)


__all__ = ["connection", "current_tenant", "current_town"]
