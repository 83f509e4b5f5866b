"""The database connection, typed as what it is at run time: django-tenants' schema-aware wrapper.

`django.db.connection` is declared as a plain BaseDatabaseWrapper, so strict mypy
rejects `connection.schema_name`, `connection.tenant` and `connection.set_tenant()`.
Import `connection` from here instead; it is the very same proxy object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

connection = cast("DatabaseWrapper", _connection)


class Town(Protocol):
    """What the kernel needs of a town: settings.TENANT_MODEL (tenants.Municipality) is one.

    The kernel imports nothing above it, so it knows towns by this protocol, not by the model.
    """

    pk: int
    slug: str
    name: str
    schema_name: str
    is_active: bool

    def enabled_module_keys(self, *, fresh: bool = False) -> frozenset[str]: ...

    def primary_domain_name(self) -> str | None: ...

    def module_config(self, key: str) -> dict[str, Any]: ...


def current_tenant() -> Town | None:
    """The town whose schema is active; None on the public schema (there the tenant is a FakeTenant)."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return None
    if getattr(tenant, "pk", None) is None:
        # schema_context() (a task helper, a management command) leaves a FakeTenant: read the row.
        from django.core.exceptions import ObjectDoesNotExist

        try:
            return current_town()
        except ObjectDoesNotExist:
            return None
    # Every other tenant is a Municipality row (settings.TENANT_MODEL).
    return cast("Town", tenant)


def current_town() -> Town:
    """The Municipality row of the active schema, also under schema_context().

    schema_context() leaves only django-tenants' FakeTenant (a schema name, no pk) on the
    connection, so the row is then read from the public schema by that name. Raises
    the tenant model's DoesNotExist where no town owns the schema.
    """
    tenant = connection.tenant
    if getattr(tenant, "pk", None) is not None:
        return cast("Town", tenant)
    from django_tenants.utils import get_public_schema_name, get_tenant_model, schema_context

    schema_name = connection.schema_name
    with schema_context(get_public_schema_name()):
        return cast("Town", get_tenant_model()._default_manager.get(schema_name=schema_name))


__all__ = ["Town", "connection", "current_tenant", "current_town"]
