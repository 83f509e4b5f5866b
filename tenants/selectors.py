"""Reads of the public schema: which town a host belongs to, which modules it has on."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Municipality, TenantModule

_TENANT_FIELDS = ("id", "schema_name", "name", "kind", "slug", "is_active")


def _lookup_key(hostname: str) -> str:
    return f"tenant-by-host:{hostname}"


def _modules_key(tenant_id: int) -> str:
    return f"tenant-modules:{tenant_id}"


def tenant_for_host(hostname: str) -> Municipality | None:
    """The town serving `hostname`, from cache when possible.

    The stock lookup costs one query per request; a cached row costs one Redis
    GET. A fresh instance is built each time so no per-request state leaks
    between requests through a shared object.
    """
    with schema_context(get_public_schema_name()):
        data = cache.get(_lookup_key(hostname))
        if data is None:
            domain = (
                Domain.objects.select_related("tenant").filter(domain=hostname).only(
                    *(f"tenant__{f}" for f in _TENANT_FIELDS), "domain", "tenant_id"
                ).first()
            )
            data = {f: getattr(domain.tenant, f) for f in _TENANT_FIELDS} if domain else {}
            cache.set(_lookup_key(hostname), data, settings.TENANT_LOOKUP_CACHE_SECONDS)
    if not data:
        return None
    return Municipality(**data)


def forget_tenant_lookup(hostname: str) -> None:
    with schema_context(get_public_schema_name()):
        cache.delete(_lookup_key(hostname))


def tenant_enabled_modules(*, tenant: Municipality, fresh: bool = False) -> frozenset[str]:
    """Keys of the modules switched on for `tenant`.

    Memoised on the instance, which lives for one request; long-lived holders
    of a tenant (Celery workers) pass fresh=True to see a switch made since.
    """
    memo = getattr(tenant, "_enabled_modules", None)
    if memo is not None and not fresh:
        return memo
    with schema_context(get_public_schema_name()):
        keys = cache.get(_modules_key(tenant.pk))
        if keys is None:
            keys = list(
                TenantModule.objects.filter(tenant_id=tenant.pk, is_enabled=True).values_list("key", flat=True)
            )
            cache.set(_modules_key(tenant.pk), keys, settings.TENANT_LOOKUP_CACHE_SECONDS)
    memo = frozenset(keys)
    tenant._enabled_modules = memo
    return memo


def forget_enabled_modules(tenant_id: int) -> None:
    with schema_context(get_public_schema_name()):
        cache.delete(_modules_key(tenant_id))


def tenant_module_config(*, tenant: Municipality, key: str) -> dict:
    with schema_context(get_public_schema_name()):
        row = TenantModule.objects.filter(tenant_id=tenant.pk, key=key).first()
    return dict(row.config) if row else {}


def tenant_primary_domain(*, tenant: Municipality) -> str | None:
    with schema_context(get_public_schema_name()):
        return Domain.objects.filter(tenant_id=tenant.pk, is_primary=True).values_list("domain", flat=True).first()
