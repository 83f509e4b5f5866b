"""The host → town lookup is cached, and the cache follows every domain change."""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants.middleware import CachedTenantMiddleware
from tests.helpers import TownClient, host_of


def _resolve(host: str):
    request = RequestFactory().get("/", HTTP_HOST=host)
    CachedTenantMiddleware(lambda r: None).process_request(request)
    return request


def test_a_cached_lookup_costs_no_query(town_a):
    _resolve(host_of(town_a))  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        request = _resolve(host_of(town_a))
    assert request.tenant.schema_name == town_a.schema_name
    assert len(queries) == 0


def test_a_new_domain_works_at_once_even_after_a_miss_was_cached(town_a):
    from tenants.models import Domain

    client = TownClient("rathaus-neu.localhost")
    assert client.get("/").status_code == 404  # the miss is cached now
    with schema_context("public"):
        Domain.objects.create(domain="rathaus-neu.localhost", tenant_id=town_a.pk, is_primary=False)
    page = client.get("/")
    assert page.status_code == 200
    assert "Verbandsgemeinde Altdorf" in page.content.decode()


def test_a_removed_domain_stops_answering_at_once(town_a):
    from tenants.models import Domain

    with schema_context("public"):
        domain = Domain.objects.create(domain="alt-adresse.localhost", tenant_id=town_a.pk, is_primary=False)
    client = TownClient("alt-adresse.localhost")
    assert client.get("/").status_code == 200
    with schema_context("public"):
        domain.delete()
    assert client.get("/").status_code == 404


def test_deactivating_a_town_takes_effect_on_its_next_request(town_a, client_a):
    from tenants.models import Municipality

    client_a.get("/")
    with schema_context("public"):
        town = Municipality.objects.get(pk=town_a.pk)
        town.is_active = False
        town.save()
    assert client_a.get("/").status_code == 404
