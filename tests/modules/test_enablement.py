"""Switching modules per town (ISOLATION T13): a module off in town B is gone there
(pages, API, feeds, nav, home widget, tasks) while town A keeps it, and its data
is still there when it comes back."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.modules import all_modules
from core.tasks import fan_out
from tenants.services import tenant_module_disable, tenant_module_enable
from tests.helpers import admin_of, logged_in_client
from tests.isolation.routes import all_routes, dependants_of

MODULES = list(all_modules().values())


def _module_routes(key: str):
    prefixes = (f"{key.replace('_', '-')}/", f"api/v1/{key.replace('_', '-')}/")
    return [r for r in all_routes("config.urls_tenant") if r.template.startswith(prefixes)]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.spec.key)
def test_every_route_of_a_disabled_module_is_404_for_everyone(module, town_a, town_b):
    # given: the module off in B only (and those that require it, which must go first)
    for key in dependants_of(module.spec.key):
        tenant_module_disable(tenant=town_b, key=key)
    tenant_module_disable(tenant=town_b, key=module.spec.key)
    routes = _module_routes(module.spec.key)
    assert routes, "the module mounts no routes?"
    admin_b = logged_in_client(town_b, admin_of(town_b))

    # then: every page, feed and API route 404s in B, for GET and POST, signed in or not
    for route in routes:
        path = route.fill({param: "x1" for param in route.params})
        for response in (admin_b.get(path), admin_b.post(path)):
            assert response.status_code == 404, (path, response.status_code)

    # and in A, where it is on, the parameterless routes answer (a page, a redirect to login, 405...)
    admin_a = logged_in_client(town_a, admin_of(town_a))
    for route in routes:
        if not route.params:
            assert admin_a.get(route.fill({})).status_code != 404, route.template


@pytest.fixture
def news_in_both_towns(town_a, town_b):
    """One visible and one due-soon scheduled article in each town (same titles, same slugs)."""
    from modules.news import services
    from tests.accounts.factories import town_admin

    made = {}
    for town in (town_a, town_b):
        connection.set_tenant(town)
        admin = town_admin()
        visible = services.article_create(acting_user=admin, title="Rathaus geschlossen", teaser="Heute zu.")
        services.article_publish(article=visible, acting_user=admin)
        scheduled = services.article_create(acting_user=admin, title="Sperrmüll")
        services.article_publish(article=scheduled, acting_user=admin, publish_at=timezone.now() + timedelta(hours=1))
        made[town.slug] = (visible.slug, scheduled.pk)
    connection.set_schema_to_public()
    return made


def _due_now(town, pk: int) -> None:
    from modules.news.models import Article

    with schema_context(town.schema_name):
        Article.objects.filter(pk=pk).update(publish_at=timezone.now() - timedelta(minutes=1))


def _status(town, pk: int) -> str:
    from modules.news.models import Article

    with schema_context(town.schema_name):
        return Article.objects.get(pk=pk).status


def test_news_off_in_b_is_gone_there_and_untouched_in_a(news_in_both_towns, town_a, town_b, client_a, client_b):
    slug, _ = news_in_both_towns[town_b.slug]
    paths = [
        "/news/", f"/news/{slug}/", "/news/feed/rss/", "/news/feed/atom/", "/news/manage/",
        "/api/v1/news/articles/", f"/api/v1/news/articles/{slug}/",
    ]

    # given: everything answers in both towns
    for client in (client_a, client_b):
        assert client.get("/news/").status_code == 200
        assert 'href="/news/"' in client.get("/").content.decode()
        assert "Rathaus geschlossen" in client.get("/").content.decode()

    # when
    tenant_module_disable(tenant=town_b, key="news")

    # then: B has no news pages, API, feeds, nav entry or home widget ...
    for path in paths:
        assert client_b.get(path).status_code == 404, path
    home_b = client_b.get("/").content.decode()
    assert 'href="/news/"' not in home_b and "Rathaus geschlossen" not in home_b
    backoffice_b = logged_in_client(town_b, admin_of(town_b)).get("/backoffice/").content.decode()
    assert "/news/manage/" not in backoffice_b
    # ... while A is unaffected
    for path in paths[:3] + paths[5:]:
        assert client_a.get(path).status_code == 200, path
    home_a = client_a.get("/").content.decode()
    assert 'href="/news/"' in home_a and "Rathaus geschlossen" in home_a


def test_the_publish_task_is_a_no_op_where_news_is_off(news_in_both_towns, town_a, town_b):
    from modules.news.tasks import publish_due

    # given: a due scheduled article in both towns, news off in B
    for town in (town_a, town_b):
        _due_now(town, news_in_both_towns[town.slug][1])
    tenant_module_disable(tenant=town_b, key="news")

    # when: beat's fan-out runs
    with mock.patch("config.celery.app.send_task") as send_task:
        fan_out("news.publish_due", "news")
    queued_for = [call.kwargs["headers"]["_schema_name"] for call in send_task.call_args_list]

    # then: queued for A, not for B
    assert town_a.schema_name in queued_for and town_b.schema_name not in queued_for

    # and even a task queued before the switch does nothing in B when it runs
    connection.set_tenant(town_b)
    assert publish_due() == 0
    connection.set_tenant(town_a)
    assert publish_due() == 1
    connection.set_schema_to_public()
    assert _status(town_b, news_in_both_towns[town_b.slug][1]) == "scheduled"
    assert _status(town_a, news_in_both_towns[town_a.slug][1]) == "published"


def test_news_comes_back_with_its_data(news_in_both_towns, town_b, client_b):
    from modules.news.models import Category

    slug, _ = news_in_both_towns[town_b.slug]
    with schema_context(town_b.schema_name):
        categories = sorted(Category.objects.values_list("slug", flat=True))

    # when
    tenant_module_disable(tenant=town_b, key="news")
    assert client_b.get(f"/news/{slug}/").status_code == 404
    tenant_module_enable(tenant=town_b, key="news")

    # then: the article is back, and installing did not run again (no duplicate categories)
    assert client_b.get(f"/news/{slug}/").status_code == 200
    assert "Rathaus geschlossen" in client_b.get("/api/v1/news/articles/").content.decode()
    with schema_context(town_b.schema_name):
        assert sorted(Category.objects.values_list("slug", flat=True)) == categories
