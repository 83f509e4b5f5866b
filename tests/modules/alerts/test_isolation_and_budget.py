"""Town-scoped: a town's warnings, banner and task stay in that town; the banner costs no query per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context

from modules.alerts.models import OfficialWarning
from modules.alerts.selectors import forget_banner
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import sql_statements
from tests.modules.alerts.factories import NoticeFactory, OfficialWarningFactory
from tests.modules.alerts.helpers import MOWAS_ID

pytestmark = pytest.mark.django_db


def test_a_warning_task_for_town_a_never_notifies_town_b(
    nina, with_ars, town_b, celery_eager, django_capture_on_commit_callbacks
):
    from modules.alerts.tasks import poll_nina

    # given: a resident with the same e-mail in both towns; only town A entered its ARS
    UserFactory(email="anna@example.org")
    with schema_context(town_b.schema_name):
        UserFactory(email="anna@example.org")
    nina.scenario("dashboard_initial.json")

    # when: the task runs in town A (as core.fan_out enqueues it), and in town B
    with django_capture_on_commit_callbacks(execute=True):
        poll_nina.apply()
    with tenant_context(town_b), django_capture_on_commit_callbacks(execute=True):
        poll_nina.apply()

    # then
    assert Notification.objects.filter(dedupe_key=f"alerts.warning:{MOWAS_ID}:1").exists()
    with schema_context(town_b.schema_name):
        assert not Notification.objects.exists() and not OfficialWarning.objects.exists()


def test_town_as_banner_is_not_town_bs(in_town_a, town_b, client_a, client_b):
    forget_banner()
    OfficialWarningFactory(headline="Nur in Altdorf: Gasaustritt")
    with schema_context(town_b.schema_name):
        forget_banner()

    assert "Nur in Altdorf: Gasaustritt" in client_a.get("/").content.decode()
    assert "Nur in Altdorf: Gasaustritt" not in client_b.get("/").content.decode()
    forget_banner()


def test_a_module_switched_off_shows_no_banner(town_a, in_town_a, client_a):
    from tenants.services import tenant_module_disable, tenant_module_enable

    forget_banner()
    OfficialWarningFactory(headline="Gasaustritt in der Bahnhofstraße")
    tenant_module_disable(tenant=town_a, key="alerts")
    try:
        assert "Gasaustritt in der Bahnhofstraße" not in client_a.get("/impressum/").content.decode()
    finally:
        tenant_module_enable(tenant=town_a, key="alerts", by_staff=True)
        forget_banner()


def _queries(client, path: str) -> int:
    client.get(path)  # the steady state: the platform's own caches filled
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    # django-tenants' `SET search_path` comes only when the schema changed since the last request.
    return len(sql_statements(queries))


def test_the_banner_costs_no_query_while_cached_and_pages_a_fixed_number(in_town_a, client_a, pages_rendered):
    forget_banner()
    OfficialWarningFactory.create_batch(2)
    NoticeFactory.create_batch(2)
    small = {path: _queries(client_a, path) for path in ("/impressum/", "/alerts/")}

    OfficialWarningFactory.create_batch(20)
    NoticeFactory.create_batch(20)
    forget_banner()
    large = {path: _queries(client_a, path) for path in ("/impressum/", "/alerts/")}

    assert small == large
    # the banner itself: nothing while cached
    from django.test import RequestFactory

    from modules.alerts.views import page_banner

    request = RequestFactory().get("/")
    request.user = UserFactory.build()
    with CaptureQueriesContext(connection) as banner_queries:
        html = page_banner(request)
    assert len(banner_queries) == 0 and html.count("<li>") == 22
    forget_banner()
