"""Every route with an object in its URL, enumerated from the resolver (ISOLATION T1, T2).

An object made in town A, requested by its id/slug on town B's host, is 404
there for B's admin (never 403: B must not learn that it exists), and lower
roles on A's own host can't change it. A new route with parameters fails
this suite until a sample object covers it: a module declares samples on its
ModuleSpec.sample_objects, the platform in tests/isolation/samples.py.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from core.capabilities import call, module_capabilities
from core.modules import SampleObject, UrlMount, all_modules
from tests.conftest import TownClient, admin_of, host_of, logged_in_client
from tests.isolation.routes import Route, all_routes, dependants_of
from tests.isolation.samples import EXEMPT, PLATFORM_SAMPLES

TENANT_URLCONF = "config.urls_tenant"


def _object_routes() -> list[Route]:
    return [route for route in all_routes(TENANT_URLCONF) if route.params and route.name not in EXEMPT]


def _covered(samples: dict[str, dict]) -> list[Route]:
    # Routes without a sample fail test_every_object_route_has_a_sample; the others are checked here.
    return [route for route in _object_routes() if route.name in samples]


def _module_namespaces(module) -> tuple[str, ...]:
    from importlib import import_module

    app_name = import_module(f"{module.name}.urls").app_name
    mounts = tuple(f"{mount.namespace_for(module.spec.key)}:" for mount in module_capabilities(module, UrlMount))
    return (f"{app_name}:", f"{app_name}-api:", *mounts)


def _samples_in_current_schema() -> dict[str, dict]:
    """Create every sample object in the current schema; map route name → URL kwargs."""
    routes = _object_routes()
    kwargs_for: dict[str, dict] = {}
    for names, create in PLATFORM_SAMPLES:
        values = create()
        for name in names:
            kwargs_for[name] = values
    for module in all_modules().values():
        namespaces = _module_namespaces(module)
        for sample in module_capabilities(module, SampleObject):
            values = call(sample.create)
            for route in routes:
                if sample.url_names:
                    covered = route.name in sample.url_names
                else:
                    covered = route.name.startswith(namespaces) and set(route.params) <= set(values)
                if covered:
                    kwargs_for.setdefault(route.name, values)
    return kwargs_for


@pytest.fixture
def samples_in_a(town_a):
    connection.set_tenant(town_a)
    try:
        yield _samples_in_current_schema()
    finally:
        connection.set_schema_to_public()


def _table_counts(schema: str) -> dict[str, int]:
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
    # Sessions and login bookkeeping change with any visit; they hold no town content.
    return {t: n for t, n in counts.items() if t not in {"django_session"}}


def test_every_object_route_has_a_sample(samples_in_a):
    missing = [f"{r.name} ({r.template})" for r in _object_routes() if r.name not in samples_in_a]
    assert not missing, "routes without a sample object (declare one on the module's spec): " + ", ".join(missing)


def test_t1_objects_of_town_a_are_404_on_town_b_for_its_admin(samples_in_a, town_a, town_b):
    client_a = logged_in_client(town_a, admin_of(town_a))
    client_b = logged_in_client(town_b, admin_of(town_b))
    wrong = []
    for route in _covered(samples_in_a):
        url = route.fill(samples_in_a[route.name])
        # The sample is right: on its own town the route finds the object.
        on_a = client_a.get(url)
        if on_a.status_code == 404:
            wrong.append(f"{route.name}: sample not found even on town A ({url})")
            continue
        for method in ("get", "post"):
            response = getattr(client_b, method)(url)
            if response.status_code not in (404, 405):
                wrong.append(f"{method.upper()} {url} ({route.name}) on B: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_t2_lower_roles_cannot_change_town_objects(samples_in_a, town_a):
    from accounts.models import User

    with schema_context(town_a.schema_name):
        resident = User.objects.create_user(email="bewohner-t2@example.org", name="Bewohnerin", password="x" * 12)
    clients = {"anonymous": TownClient(host_of(town_a)), "resident": logged_in_client(town_a, resident)}
    before = _table_counts(town_a.schema_name)
    wrong = []
    for route in _covered(samples_in_a):
        url = route.fill(samples_in_a[route.name])
        for role, client in clients.items():
            response = client.post(url)
            # 400: a resident may take part (accept an errand, join a trip, report), but an empty
            # POST is a refused form; the table counts below prove that it changed nothing.
            allowed = response.status_code in (400, 401, 403, 404, 405) or (
                response.status_code == 302 and "/accounts/login/" in response["Location"]
            )
            if not allowed:
                wrong.append(f"POST {url} ({route.name}) as {role}: {response.status_code}")
    after = _table_counts(town_a.schema_name)
    changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    assert not wrong, "\n".join(wrong)
    assert not changed, f"rows changed by lower roles: {changed}"


@pytest.mark.parametrize("module_key", sorted(all_modules()))
def test_t13_a_disabled_module_has_no_route_left_in_that_town(module_key, town_b):
    """Every page and API route of the module, enumerated from the resolver, is 404 while it is off."""
    from tenants.services import tenant_module_disable, tenant_module_enable

    module = all_modules()[module_key]
    namespaces = _module_namespaces(module)
    connection.set_tenant(town_b)
    try:
        samples = _samples_in_current_schema()  # B's own objects: the module hides them too
    finally:
        connection.set_schema_to_public()
    routes = [r for r in all_routes(TENANT_URLCONF) if r.name.startswith(namespaces)]
    assert routes, f"{module_key} has no routes"
    admin_b = logged_in_client(town_b, admin_of(town_b))

    # Modules that require this one must go first (board, groups, messages require moderation).
    dependants = dependants_of(module_key)
    for key in dependants:
        tenant_module_disable(tenant=town_b, key=key)
    tenant_module_disable(tenant=town_b, key=module_key)
    still_there = []
    for route in routes:
        if route.params and route.name not in samples:
            continue  # test_every_object_route_has_a_sample fails for it
        url = route.fill(samples[route.name]) if route.params else "/" + route.template
        for method in ("get", "post"):
            status = getattr(admin_b, method)(url).status_code
            if status != 404:
                still_there.append(f"{method.upper()} {url}: {status}")
    assert not still_there, "routes still answering with the module off:\n" + "\n".join(still_there)

    # Switched on again, its data is back (ISOLATION T13: data kept).
    tenant_module_enable(tenant=town_b, key=module_key)
    for key in reversed(dependants):
        tenant_module_enable(tenant=town_b, key=key)
    detail = next((r for r in routes if r.params and r.name in samples and "manage" not in r.template), None)
    if detail is not None:
        assert admin_b.get(detail.fill(samples[detail.name])).status_code == 200
