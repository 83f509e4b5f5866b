"""Reads of the public schema: which town a host belongs to, which modules it has on."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.modules import PILLAR_LABELS, ModuleSpec, all_modules, pillar_label
from tenants.models import Domain, Municipality, SignupStatus, TenantModule, TownSignup

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
    memo: frozenset[str] | None = getattr(tenant, "_enabled_modules", None)
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


def _config_key(tenant_id: int, key: str) -> str:
    return f"tenant-module-config:{tenant_id}:{key}"


def tenant_module_config(*, tenant: Municipality, key: str) -> dict[str, Any]:
    """The settings `tenant` stored for module `key` ({} for none), cached until they change."""
    with schema_context(get_public_schema_name()):
        config = cache.get(_config_key(tenant.pk, key))
        if config is None:
            row = TenantModule.objects.filter(tenant_id=tenant.pk, key=key).first()
            config = dict(row.config) if row else {}
            cache.set(_config_key(tenant.pk, key), config, settings.TENANT_LOOKUP_CACHE_SECONDS)
    return dict(config)


def forget_module_config(tenant_id: int, key: str) -> None:
    with schema_context(get_public_schema_name()):
        cache.delete(_config_key(tenant_id, key))


def _primary_domain_key(tenant_id: int) -> str:
    return f"tenant-primary-domain:{tenant_id}"


def tenant_primary_domain(*, tenant: Municipality) -> str | None:
    """The town's primary domain (cached; links in pages, feeds and mails are built from it)."""
    with schema_context(get_public_schema_name()):
        domain = cache.get(_primary_domain_key(tenant.pk))
        if domain is None:
            domain = (
                Domain.objects.filter(tenant_id=tenant.pk, is_primary=True).values_list("domain", flat=True).first()
                or ""
            )
            cache.set(_primary_domain_key(tenant.pk), domain, settings.TENANT_LOOKUP_CACHE_SECONDS)
    return domain or None


def forget_primary_domain(tenant_id: int) -> None:
    with schema_context(get_public_schema_name()):
        cache.delete(_primary_domain_key(tenant_id))


def signup_get(signup_id: uuid.UUID | str) -> TownSignup | None:
    with schema_context(get_public_schema_name()):
        return TownSignup.objects.filter(pk=signup_id).first()


def signup_is_stale(signup: TownSignup) -> bool:
    """Still "provisioning" long after any worker would have been killed: it lost its worker.

    The sweeper (tenants.services.signups_recover_stale) normally picks such a signup up within a
    minute; the status page offers the person a retry meanwhile, in case beat isn't running.
    """
    stale_after = timedelta(seconds=settings.PROVISIONING_STALE_SECONDS)
    return signup.status == SignupStatus.PROVISIONING and signup.updated_at < timezone.now() - stale_after


def signup_can_retry(signup: TownSignup) -> bool:
    return signup.status == SignupStatus.FAILED or signup_is_stale(signup)


def signup_slug_pending(slug: str) -> bool:
    """A live (not failed) signup already asks for `slug`."""
    with schema_context(get_public_schema_name()):
        return TownSignup.objects.filter(slug=slug).exclude(status=SignupStatus.FAILED).exists()


def signup_handover_url(*, signup: TownSignup) -> str | None:
    """A fresh one-time sign-in link for the signup's admin on the new town's host, or None if not ready."""
    from accounts.models import Role, User
    from core.branding import site_url
    from tenants.tokens import handover_token_make

    if signup.status != SignupStatus.READY or signup.tenant_id is None:
        return None
    with schema_context(get_public_schema_name()):
        tenant = Municipality.objects.filter(pk=signup.tenant_id, is_active=True).first()
    if tenant is None:
        return None
    domain = tenant_primary_domain(tenant=tenant)
    with schema_context(tenant.schema_name):
        admin = User.objects.filter(email=signup.admin_email.lower(), role=Role.ADMIN, is_active=True).first()
        if admin is None or domain is None:
            return None
        token = handover_token_make(schema_name=tenant.schema_name, user=admin)
    path = reverse("handover", urlconf=settings.ROOT_URLCONF, kwargs={"token": token})
    return site_url(domain, path)


def town_list_for_staff() -> list[Municipality]:
    """Every town with its number of enabled modules (public schema only: no town's own data)."""
    with schema_context(get_public_schema_name()):
        return list(
            Municipality.objects.exclude(schema_name=get_public_schema_name())
            .annotate(module_count=Count("modules", filter=Q(modules__is_enabled=True)))
            .prefetch_related("domains")
            .order_by("name")
        )


def signup_list_for_staff(*, limit: int = 200) -> list[TownSignup]:
    with schema_context(get_public_schema_name()):
        signups = list(TownSignup.objects.order_by("-created_at")[:limit])
    for signup in signups:
        signup.can_retry = signup_can_retry(signup)
    return signups


def platform_offer() -> tuple[list[dict[str, Any]], list[str]]:
    """What the landing page promises: the installed modules grouped by pillar, and the pillars still empty.

    Read from the module registry, so a new module appears on the public site the day it is
    installed, and a pillar without a module is never presented as if it existed.
    """
    grouped: dict[str, list[ModuleSpec]] = {}
    for module in all_modules().values():
        grouped.setdefault(module.spec.pillar, []).append(module.spec)
    # The known pillars in their usual order, then any a module names that the kernel doesn't know yet.
    order = [*PILLAR_LABELS, *sorted(p for p in grouped if p not in PILLAR_LABELS)]
    offered = [
        {
            "key": pillar,
            "label": pillar_label(pillar) or _("Further modules"),
            "modules": [
                {"key": spec.key, "name": str(spec.name), "description": str(spec.description)}
                for spec in sorted(grouped[pillar], key=lambda spec: str(spec.name))
            ],
        }
        for pillar in order
        if pillar in grouped
    ]
    planned = [pillar_label(pillar) for pillar in PILLAR_LABELS if pillar not in grouped]
    return offered, planned
