"""The current town's name, address and sender, for pages, e-mails and tasks.

URLs are built from the town's domain row, never from a request's Host
header, so a mail built in a Celery task links to the right town (ISOLATION T9).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings

from core.capabilities import Capability, Ref, call, declared
from core.tenancy import Town, connection, current_tenant


@dataclass(frozen=True)
class TownProfileSource(Capability):
    """Where the kernel reads the current town's profile: name, colours, logo, contact person.

    The town app provides it; ``get()`` returns an object with ``name``, ``primary_colour``,
    ``accent_colour``, ``logo``, ``contact_name``, ``contact_role``, ``contact_email``,
    ``contact_phone``, ``contact_hours`` and ``office_hours`` (the town-wide weekly office hours, each
    with ``get_weekday_display()``, ``starts_at``, ``ends_at``, ``title``, ``place``; town.models.TownProfile),
    the legal texts ``impressum``, ``privacy_policy``, ``accessibility_statement`` and ``signup_open``
    (residents may register only once the first two are published), cached per town.
    """

    get: Ref  # () -> profile


def town_profile() -> Any:
    """The current town's profile through the one TownProfileSource (None if no app provides one)."""
    sources = declared(TownProfileSource)
    return call(sources[0].get) if sources else None


def site_url(domain: str, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain}{port}{path}"


def public_url(path: str = "/") -> str:
    return site_url(settings.BASE_DOMAIN, path)


def town_url(path: str = "/", *, tenant: Town | None = None) -> str:
    """Absolute URL on the current (or given) town's primary domain."""
    tenant = tenant or current_tenant()
    if tenant is None or tenant.schema_name == "public":
        return public_url(path)
    domain = tenant.primary_domain_name() or f"{tenant.slug}.{settings.BASE_DOMAIN}"
    return site_url(domain, path)


def current_town_name() -> str:
    if connection.schema_name == "public":
        return ""
    profile = town_profile()
    return str((profile.name if profile is not None else "") or getattr(connection.tenant, "name", ""))


def sender_address() -> str:
    """From: header with the town's name in front of the platform's address."""
    name = current_town_name()
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or default_name, address))
