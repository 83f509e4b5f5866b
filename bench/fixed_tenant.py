"""Baseline middleware for bench/tenancy_overhead.py: one town, no per-request host lookup."""

import os

from django.db import connection
from django.urls import set_urlconf


class FixedTenantMiddleware:
    def __init__(self, get_response):
        from tenants.models import Municipality

        self.get_response = get_response
        self.tenant = Municipality.objects.get(schema_name=os.environ["BENCH_FIXED_SCHEMA"])

    def __call__(self, request):
        connection.set_tenant(self.tenant)
        request.tenant = self.tenant
        request.urlconf = "config.urls_tenant"
        set_urlconf(request.urlconf)
        return self.get_response(request)
