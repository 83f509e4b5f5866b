"""Reads about a town's own domains: the claims a town sees, what the TLS `ask` endpoint allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_tenants.utils import get_public_schema_name, remove_www, schema_context

from core.tenancy import Town
from tenants.models import CustomDomain, Domain
from tenants.selectors import tenant_for_host

CHALLENGE_PREFIX = "_dorfkern-challenge"
WELL_KNOWN_PREFIX = "/.well-known/dorfkern-domain/"


@dataclass(frozen=True)
class DomainRow:
    """One of a town's addresses as the back office lists it."""

    claim: CustomDomain | None  # None for the platform's own subdomain
    domain: str
    is_primary: bool
    is_verified: bool


def platform_subdomain(tenant: Town) -> str:
    return f"{tenant.slug}.{settings.BASE_DOMAIN}"


def is_platform_host(hostname: str) -> bool:
    """The platform's own name or one below it (a town's subdomain): never a town's own domain."""
    base = settings.BASE_DOMAIN.lower()
    return hostname == base or hostname.endswith("." + base)


def routing_name(hostname: str) -> str:
    """The name a host is looked up by: `www.` is dropped only below the platform's own domain.

    A town's own domain is looked up as it is: www.musterhausen.de is an address of its own.
    """
    return remove_www(hostname) if is_platform_host(hostname) else hostname


def challenge_record_name(claim: CustomDomain) -> str:
    return f"{CHALLENGE_PREFIX}.{claim.domain}"


def challenge_file_url(claim: CustomDomain) -> str:
    port = "" if settings.CUSTOM_DOMAIN_HTTP_PORT == 80 else f":{settings.CUSTOM_DOMAIN_HTTP_PORT}"
    return f"http://{claim.domain}{port}{WELL_KNOWN_PREFIX}{claim.token}"


def custom_domain_list(*, tenant: Town) -> list[DomainRow]:
    """The town's subdomain first, then its own addresses (verified or not), with which one is primary."""
    with schema_context(get_public_schema_name()):
        primary = set(
            Domain.objects.filter(tenant_id=tenant.pk, is_primary=True).values_list("domain", flat=True)
        )
        claims = list(CustomDomain.objects.filter(tenant_id=tenant.pk).order_by("domain"))
    subdomain = platform_subdomain(tenant)
    rows = [DomainRow(claim=None, domain=subdomain, is_primary=subdomain in primary or not primary,
                      is_verified=True)]
    rows += [
        DomainRow(claim=claim, domain=claim.domain, is_primary=claim.domain in primary,
                  is_verified=claim.verified_at is not None)
        for claim in claims
    ]
    return rows


def custom_domain_get(*, tenant: Town, pk: int) -> CustomDomain | None:
    """One of `tenant`'s own claims (never another town's: their ids are 404 here, ISOLATION T1)."""
    with schema_context(get_public_schema_name()):
        return CustomDomain.objects.filter(tenant_id=tenant.pk, pk=pk).first()


def certificate_allowed(hostname: str) -> bool:
    """Whether the reverse proxy may get a TLS certificate for `hostname` (its on-demand `ask`).

    Yes for the platform's own name and for every name a live town is routed on: its subdomain and
    its verified own domains (the Domain table holds nothing else). No for anything else, so a
    stranger pointing names at the server can't make it request certificates for them.
    """
    name = hostname.strip().rstrip(".").lower()
    if not name or len(name) > 253:
        return False
    if name in (settings.BASE_DOMAIN.lower(), "www." + settings.BASE_DOMAIN.lower()):
        return True
    tenant = tenant_for_host(routing_name(name))
    return tenant is not None and tenant.is_active
