"""Request → town, with a cached host lookup."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from core.log_context import request_host_set
from core.tenancy import connection
from tenants.selectors import tenant_for_host


class CachedTenantMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with the per-request domain query replaced by a cache hit.

    The base domain itself is the public site and needs no row. With Redis down the lookup reads
    PostgreSQL instead (core.cache_backends.ResilientRedisCache answers a miss), so towns stay up.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        try:
            hostname = remove_www(request.get_host().split(":")[0]).lower()
        except DisallowedHost:
            return HttpResponseNotFound()
        # Before the lookup: a failure inside it is logged with the host asked for.
        request_host_set(hostname)

        if hostname == settings.BASE_DOMAIN:
            request.tenant = connection.tenant  # type: ignore[attr-defined]  # django-tenants' request attribute
            self.setup_url_routing(request, force_public=True)
            return None

        tenant = tenant_for_host(hostname)
        if tenant is None or not tenant.is_active:
            return self.no_tenant_found(request, hostname)

        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        return None
