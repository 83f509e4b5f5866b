"""Shared fixtures: two towns whose data collide on pks, slugs and e-mails.

Both towns are provisioned once per test session through the real
provisioning service. Each test runs inside a transaction that is rolled
back, and the cache (a real Redis) is flushed between tests.

Transactional tests (``django_db(transaction=True)``) end with Django's
flush, which empties the tables on the connection's search_path. The
override of ``_django_db_helper`` below returns the connection to the public
schema first, so the flush never empties a town's schema; the public rows
it does empty (towns, domains, module switches) are put back by
``_ensure_town`` the next time a test asks for a town.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from core.resident_pages import forget_personal as resident_pages_forget_personal

# Re-exported: the isolation suite and the journeys import these from here.
from tests.helpers import (  # noqa: F401
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    TownClient,
    admin_of,
    host_of,
    legal_texts_fill,
    logged_in_client,
)

pytest_plugins = ["tests.fixtures_celery"]

TOWN_A = {"slug": "altdorf", "name": "Verbandsgemeinde Altdorf", "kind": "verbandsgemeinde"}
TOWN_B = {"slug": "bergdorf", "name": "Stadt Bergdorf", "kind": "stadt"}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start now what a selected test will wait for: a test function's `background_start` (a callable).

    The probe's own pytest session (tests/test_probe_*.py) so runs alongside this one on the
    machine's other core. Not in a pytest-xdist worker: every worker collects every test, and the
    workers already share the cores.
    """
    if session.config.option.collectonly or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    started = session.config._background_started = {}  # type: ignore[attr-defined]
    for item in session.items:
        if (start := getattr(getattr(item, "function", None), "background_start", None)) is not None:
            started[item.nodeid] = start()


def pytest_unconfigure(config: pytest.Config) -> None:
    # An interrupted run (Ctrl-C, -x) never reached the test that waits for it.
    for work in getattr(config, "_background_started", {}).values():
        work.stop()


def _ensure_town(data: dict):
    """Town `data` with every module enabled: provisioned once, its public rows restored after a flush."""
    from django_tenants.utils import schema_exists

    from core.modules import all_modules
    from tenants.models import Domain, Municipality, TenantModule
    from tenants.services import tenant_module_enable, town_create

    with schema_context("public"):
        town = Municipality.objects.filter(slug=data["slug"]).first()
        if town is None:
            schema_name = Municipality.schema_name_for(data["slug"])
            if schema_exists(schema_name):
                town = Municipality.objects.create(schema_name=schema_name, **data)
                Domain.objects.create(domain=f"{data['slug']}.{settings.BASE_DOMAIN}", tenant=town, is_primary=True)
                TenantModule.objects.bulk_create(
                    TenantModule(tenant=town, key=key, is_enabled=True) for key in all_modules()
                )
            else:
                town = town_create(
                    admin_name="Anna Admin", admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD, **data
                )
                for key in all_modules():
                    tenant_module_enable(tenant=town, key=key, by_staff=True)
    legal_texts_fill(town)  # residents register in these towns (registration waits for both texts)
    return town


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for data in (TOWN_A, TOWN_B):
            _ensure_town(data)
    yield


@pytest.fixture
def _django_db_helper(_django_db_helper):
    # Torn down before pytest-django's own helper: a transactional test's flush runs in public.
    yield _django_db_helper
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_cache_and_schema():
    cache.clear()
    resident_pages_forget_personal()
    yield
    connection.set_schema_to_public()
    cache.clear()


@pytest.fixture
def pages_rendered(settings):
    """Pages rendered on every request, not served from the visitor or resident page cache
    (core.visitor_pages, core.resident_pages): for tests that count what rendering a page costs, or
    change settings between two requests (a deploy's settings reach cached pages within a minute)."""
    settings.VISITOR_PAGE_CACHE_SECONDS = 0


def _town(slug: str):
    town = _ensure_town(next(data for data in (TOWN_A, TOWN_B) if data["slug"] == slug))
    town.domain_url = host_of(town)
    return town


@pytest.fixture
def town_a(db):
    return _town(TOWN_A["slug"])


@pytest.fixture
def town_b(db):
    return _town(TOWN_B["slug"])


@pytest.fixture
def in_town_a(town_a):
    """Run the test body inside town A's schema."""
    connection.set_tenant(town_a)
    yield town_a
    connection.set_schema_to_public()


@pytest.fixture
def in_town_b(town_b):
    connection.set_tenant(town_b)
    yield town_b
    connection.set_schema_to_public()


@pytest.fixture
def client_a(town_a):
    return TownClient(host_of(town_a))


@pytest.fixture
def client_b(town_b):
    return TownClient(host_of(town_b))


@pytest.fixture
def public_client(db):
    return TownClient(settings.BASE_DOMAIN)


@pytest.fixture
def admin_client_a(town_a):
    return logged_in_client(town_a, admin_of(town_a))


@pytest.fixture
def admin_client_b(town_b):
    return logged_in_client(town_b, admin_of(town_b))
