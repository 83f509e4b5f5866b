"""Anonymous visitors' pages come from the town's page cache: no database work on a repeat visit, a
change shows on the next page, every visitor gets their own CSRF token, and nothing crosses from a
signed-in person or another town (ISOLATION T6)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.page_cache import VISITOR_PAGES, _generation_key
from core.visitor_pages import CSRF_PLACEHOLDER
from tenants.models import TenantModule
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.news.factories import ArticleFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _statements(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def test_a_repeat_visit_costs_no_database_work_and_a_change_shows_at_once(town_a):
    # given
    visitor = TownClient(host_of(town_a))
    first = visitor.get("/news/").content.decode()

    # when
    statements = _statements(visitor, "/news/")

    # then
    assert statements == 0
    # the same page (each answer masks the visitor's CSRF token anew)
    assert TOKEN.sub("", visitor.get("/news/").content.decode()) == TOKEN.sub("", first)
    with schema_context(town_a.schema_name):
        ArticleFactory(title="Wasserleitung repariert")
    assert "Wasserleitung repariert" in visitor.get("/news/").content.decode()


def test_each_visitor_gets_a_token_of_their_own_that_the_form_accepts(town_a):
    # given: the page is in the cache
    TownClient(host_of(town_a)).get("/")
    first, second = (TownClient(host_of(town_a), enforce_csrf_checks=True) for _ in range(2))

    # when
    pages = [client.get("/") for client in (first, second)]

    # then
    for client, page in zip((first, second), pages, strict=True):
        html = page.content.decode()
        assert CSRF_PLACEHOLDER not in html
        assert settings.CSRF_COOKIE_NAME in page.cookies
        assert int(page["Content-Length"]) == len(page.content)
        token = TOKEN.search(html).group(1)
        # the footer's language switch posts with the token the page carried
        switched = client.post("/i18n/setlang/", {"language": "en", "next": "/",
                                                  "csrfmiddlewaretoken": token})
        assert switched.status_code == 302
    assert pages[0].cookies[settings.CSRF_COOKIE_NAME].value != pages[1].cookies[settings.CSRF_COOKIE_NAME].value


def test_signed_in_people_never_get_the_visitors_page_nor_the_reverse(town_a):
    # given: an anonymous visit cached the start page
    visitor = TownClient(host_of(town_a))
    visitor.get("/")
    with schema_context(town_a.schema_name):
        resident = UserFactory(name="Hildegard Bäcker")
    resident_client = logged_in_client(town_a, resident)

    # when
    theirs = resident_client.get("/").content.decode()
    anonymous = visitor.get("/").content.decode()

    # then
    assert "Hildegard" in theirs and ("Sign out" in theirs or "Abmelden" in theirs)
    assert "Hildegard" not in anonymous


def test_a_module_switched_off_leaves_the_cached_navigation_at_once(town_a):
    # given
    visitor = TownClient(host_of(town_a))
    assert 'href="/board/"' in visitor.get("/").content.decode()

    # when: switched off where the platform keeps it (the public schema)
    module = TenantModule.objects.get(tenant=town_a, key="board")
    module.is_enabled = False
    module.save()

    # then
    assert 'href="/board/"' not in visitor.get("/").content.decode()


def test_a_town_never_gets_another_towns_cached_page(town_a, town_b):
    # given: the same path cached in town A
    with schema_context(town_a.schema_name):
        ArticleFactory(title="Nur in Altdorf")
    assert "Nur in Altdorf" in TownClient(host_of(town_a)).get("/news/").content.decode()

    # when
    in_b = TownClient(host_of(town_b)).get("/news/").content.decode()

    # then
    assert "Nur in Altdorf" not in in_b


def test_a_notification_leaves_the_visitors_pages_cached(town_a):
    # given
    with schema_context(town_a.schema_name):
        resident = UserFactory()
    TownClient(host_of(town_a)).get("/")
    with schema_context(town_a.schema_name):
        from django.core.cache import cache
        before = cache.get(_generation_key(VISITOR_PAGES))

        # when: a notification for one resident is written (it shows on no visitor's page)
        from modules.notifications.models import Notification
        Notification.objects.create(user=resident, event="news.article", title="Neu", url="/news/")

        # then
        assert cache.get(_generation_key(VISITOR_PAGES)) == before


def test_an_api_client_with_the_answer_gets_304_from_the_cache(town_a):
    # given: the list is cached, with its ETag
    client = TownClient(host_of(town_a))
    first = client.get("/api/v1/ortsgemeinden/")
    assert client.get("/api/v1/ortsgemeinden/").content == first.content

    # when
    again = client.get("/api/v1/ortsgemeinden/", HTTP_IF_NONE_MATCH=first["ETag"])

    # then
    assert again.status_code == 304


def test_the_shared_footer_switches_language_for_a_signed_in_resident_too(town_a):
    # given: the footer cached by an earlier page view of another person
    with schema_context(town_a.schema_name):
        first, second = UserFactory(), UserFactory()
    logged_in_client(town_a, first).get("/news/")
    client = logged_in_client(town_a, second)
    client.handler.enforce_csrf_checks = True

    # when: the second resident uses the footer's language switch on the same page
    page = client.get("/news/")
    token = TOKEN.search(page.content.decode()).group(1)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/news/", "csrfmiddlewaretoken": token})

    # then: the token in the cached footer was theirs, and it worked
    assert CSRF_PLACEHOLDER not in page.content.decode()
    assert switched.status_code == 302
    assert "Legal notice" in client.get("/news/").content.decode()
