"""Request → town, with a cached host lookup; a town's own domains; the reverse proxy's TLS `ask`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django_tenants.middleware.main import TenantMainMiddleware

from core.branding import site_url
from core.log_context import request_host_set
from core.tenancy import connection
from tenants.domain_selectors import certificate_allowed, is_platform_host, routing_name
from tenants.selectors import tenant_for_host, tenant_primary_domain

# Caddy's on-demand TLS asks here before it gets a certificate for a name (deploy/Caddyfile). Answered
# on any host: Caddy calls it as http://web:8000/_caddy/ask, a name no URLconf is chosen for.
ASK_PATH = "/_caddy/ask"
# Paths the platform subdomain keeps serving when the town's main address is its own domain: machines
# (API clients, Open311 apps, certificate checks) that must not be sent elsewhere.
NO_REDIRECT_PREFIXES = ("/api/", "/open311/", "/.well-known/", "/healthz", "/readyz", "/csp-report/", "/static/",
                        "/sw.js", "/manifest.webmanifest")


def tls_ask(request: HttpRequest) -> HttpResponse:
    """200 when the reverse proxy may get a certificate for ?domain=, 404 otherwise (nothing else is said)."""
    if certificate_allowed(request.GET.get("domain", "")):
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponseNotFound("no", content_type="text/plain")


def _own_domain_host(request: HttpRequest) -> str | None:
    """The Host header when it names a town's verified own domain (not in ALLOWED_HOSTS), else None.

    ALLOWED_HOSTS holds only the platform's names, never a wildcard: the Domain table is the list of
    verified own domains, and this looks the host up there. Malformed hosts are refused as Django
    refuses them (split_domain_port validates the syntax).
    """
    raw: str = request._get_raw_host()  # type: ignore[attr-defined]  # what get_host() checks, same proxy rules
    domain, _port = split_domain_port(raw)
    if not domain or is_platform_host(domain):
        return None
    tenant = tenant_for_host(domain)
    if tenant is None or not tenant.is_active:
        return None
    return raw


def _verified_host_getter(host: str) -> Any:
    def get_host() -> str:
        return host

    return get_host


class CachedTenantMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with the per-request domain query replaced by a cache hit.

    The base domain itself is the public site and needs no row. With Redis down the lookup reads
    PostgreSQL instead (core.cache_backends.ResilientRedisCache answers a miss), so towns stay up.
    A town's verified own domain is served like its subdomain; the subdomain then forwards page
    visits to the town's main address.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        if request.path == ASK_PATH:
            return tls_ask(request)
        try:
            hostname = request.get_host().split(":")[0].lower()
        except DisallowedHost:
            own = _own_domain_host(request)
            if own is None:
                return HttpResponseNotFound()
            # Checked once here against the Domain table: the rest of the request (CSRF, absolute
            # URLs) gets the same host back instead of Django's ALLOWED_HOSTS refusal.
            request.get_host = _verified_host_getter(own)  # type: ignore[method-assign]
            hostname = split_domain_port(own)[0]
        hostname = routing_name(hostname)
        # Before the lookup: a failure inside it is logged with the host asked for.
        request_host_set(hostname)

        if hostname == settings.BASE_DOMAIN:
            request.tenant = connection.tenant  # type: ignore[attr-defined]  # django-tenants' request attribute
            self.setup_url_routing(request, force_public=True)
            return None

        tenant = tenant_for_host(hostname)
        if tenant is None or not tenant.is_active:
            return self.no_tenant_found(request, hostname)

        if request.method in ("GET", "HEAD") and is_platform_host(hostname) and not request.path.startswith(
            NO_REDIRECT_PREFIXES
        ):
            primary = tenant_primary_domain(tenant=tenant)
            if primary and not is_platform_host(primary):
                # The town chose its own domain as main address: bookmarks and old links follow it there.
                return HttpResponsePermanentRedirect(site_url(primary, request.get_full_path()))

        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        return None
