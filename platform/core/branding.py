"""The current town's name, address and sender, for pages, e-mails and tasks.

URLs are built from the town's domain row, never from a request's Host
header, so a mail built in a Celery task links to the right town (ISOLATION T9).
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings

from core.tenancy import connection, current_tenant

if TYPE_CHECKING:
    from tenants.models import Municipality


def site_url(domain: str, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain}{port}{path}"


def public_url(path: str = "/") -> str:
    return site_url(settings.BASE_DOMAIN, path)


def town_url(path: str = "/", *, tenant: Municipality | None = None) -> str:
    """Absolute URL on the current (or given) town's primary domain."""
    from tenants.selectors import tenant_primary_domain

    tenant = tenant or current_tenant()
    if tenant is None or tenant.schema_name == "public":
        return public_url(path)
    domain = tenant_primary_domain(tenant=tenant) or f"{tenant.slug}.{settings.BASE_DOMAIN}"
    return site_url(domain, path)


def current_town_name() -> str:
    if connection.schema_name == "public":
        return ""
    from town.selectors import town_profile_get

    return str(town_profile_get().name or getattr(connection.tenant, "name", ""))


def sender_address() -> str:
    """From: header with the town's name in front of the platform's address."""
    name = current_town_name()
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or default_name, address))
