"""Code run under a bare schema_context() (management commands, Celery tasks) sees the right town.

There the connection holds only django-tenants' FakeTenant: a schema name without a pk.
"""

from __future__ import annotations

from django_tenants.utils import schema_context

from core.access import tenant_has_module
from core.tenancy import current_town
from modules.notifications.facade import notifications_enabled
from tenants.services import tenant_module_disable


def test_current_town_is_the_town_row_under_schema_context(town_a, town_b):
    with schema_context(town_b.schema_name):
        town = current_town()
    assert town.pk == town_b.pk
    assert town.pk != town_a.pk


def test_current_town_is_the_request_town_itself_when_the_connection_holds_it(in_town_a):
    assert current_town() is in_town_a


def test_notifications_follow_the_town_switch_under_schema_context(town_a, town_b):
    tenant_module_disable(tenant=town_b, key="notifications")
    with schema_context(town_a.schema_name):
        assert notifications_enabled() is True
    with schema_context(town_b.schema_name):
        assert notifications_enabled() is False
        assert tenant_has_module("notifications") is False
