"""What every page reads comes from the town's page cache: few statements, a change shows at once,
and never another town's values (ISOLATION T6)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from core.page_cache import generation_bump
from modules.news.models import Article, ArticleStatus, Category
from tests.accounts.factories import UserFactory
from tests.helpers import START_PAGE_QUERY_BUDGET, TownClient, host_of, logged_in_client, sql_statements
from tests.modules.news.factories import ArticleFactory
from town.models import Ortsgemeinde, TownProfile

# Every module is switched on in the test towns. Anonymous visitors share every cached fragment.
RESIDENT_BUDGET = {"/": START_PAGE_QUERY_BUDGET, "/news/": 8, "/news/?page=2": 8}
ANONYMOUS_BUDGET = {"/": 1, "/news/": 2, "/news/?page=2": 2}


def _statements(client, path: str) -> int:
    """SQL statements of one request, not counting django-tenants' `SET search_path`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


def _articles(town, count: int, village: Ortsgemeinde) -> None:
    """`count` published articles in one statement (a third for `village` only), like a town after years."""
    now = timezone.now()
    with schema_context(town.schema_name):
        articles = Article.objects.bulk_create(
            Article(title=f"Meldung {n}", slug=f"meldung-{n}", teaser="Kurz gesagt", status=ArticleStatus.PUBLISHED,
                    publish_at=now - datetime.timedelta(minutes=n))
            for n in range(count)
        )
        Article.ortsgemeinden.through.objects.bulk_create(
            Article.ortsgemeinden.through(article_id=article.pk, ortsgemeinde_id=village.pk)
            for article in articles[::3]
        )
        generation_bump("news")  # bulk_create sends no signal: the writer says so itself


@pytest.mark.parametrize("rows", [10, 1000])
def test_start_page_and_news_list_cost_a_few_statements_however_much_content(town_a, rows, record_property):
    # given
    with schema_context(town_a.schema_name):
        village = Ortsgemeinde.objects.create(name="Kausen", slug="kausen")
        resident = UserFactory(email="rita@example.org", ortsgemeinde=village)
    _articles(town_a, rows, village)
    clients = {"resident": logged_in_client(town_a, resident), "anonymous": TownClient(host_of(town_a))}

    for who, client in clients.items():
        budget = RESIDENT_BUDGET if who == "resident" else ANONYMOUS_BUDGET
        for path, most in budget.items():
            # when
            client.get(path)  # the first visitor after a change fills the cache
            count = _statements(client, path)

            # then
            record_property(f"{who} {path}", count)
            print(f"{who} {path} with {rows} articles: {count} statements")
            assert count <= most, f"{who} {path}: {count} statements with {rows} articles"


def test_a_change_shows_on_the_next_page(town_a, admin_client_a):
    # given: every cache filled
    visitor = TownClient(host_of(town_a))
    visitor.get("/")
    visitor.get("/news/")

    # when / then: the town's profile (the back office's form)
    admin_client_a.post("/backoffice/profile/", {
        "name": "Verbandsgemeinde Altdorf", "tagline": "Zwölf Dörfer, eine Gemeinschaft", "header_image_alt": "",
        "primary_colour": "#1f5f8b", "accent_colour": "#8a4b08",
    })
    assert "Zwölf Dörfer, eine Gemeinschaft" in visitor.get("/").content.decode()

    # a new village and a new category in the news filter
    with schema_context(town_a.schema_name):
        Ortsgemeinde.objects.create(name="Mittelhof", slug="mittelhof")
        Category.objects.create(name="Kirmes", slug="kirmes")
    news = visitor.get("/news/").content.decode()
    assert ">Mittelhof</option>" in news and ">Kirmes</option>" in news

    # a new article in the start page's widget
    with schema_context(town_a.schema_name):
        article = ArticleFactory(title="Brücke wieder offen")
    assert "Brücke wieder offen" in visitor.get("/").content.decode()

    # and gone again when it is deleted
    with schema_context(town_a.schema_name):
        article.delete()
    assert "Brücke wieder offen" not in visitor.get("/").content.decode()


def test_town_a_cached_pages_never_show_in_town_b(town_a, town_b):
    # given: town A's profile, village, category and article, all cached by a visit (same ids in both towns)
    with schema_context(town_a.schema_name):
        TownProfile.objects.update_or_create(pk=TownProfile.objects.first().pk, defaults={"tagline": "Nur Altdorf"})
        Ortsgemeinde.objects.create(name="Altdorfer Au", slug="au")
        Category.objects.create(name="Nur-A-Rubrik", slug="nur-a")
        ArticleFactory(title="Nur in Altdorf gemeldet")
    in_a = TownClient(host_of(town_a))
    home_a, news_a = in_a.get("/").content.decode(), in_a.get("/news/").content.decode()
    assert "Nur Altdorf" in home_a and "Nur in Altdorf gemeldet" in home_a
    assert "Altdorfer Au" in news_a and "Nur-A-Rubrik" in news_a

    # when
    in_b = TownClient(host_of(town_b))
    home_b, news_b = in_b.get("/").content.decode(), in_b.get("/news/").content.decode()

    # then
    for text in ("Nur Altdorf", "Nur in Altdorf gemeldet"):
        assert text not in home_b
    for text in ("Altdorfer Au", "Nur-A-Rubrik", "Nur in Altdorf gemeldet"):
        assert text not in news_b
    # and B's own change doesn't touch A's cache
    with schema_context(town_b.schema_name):
        ArticleFactory(title="Nur in Bergdorf gemeldet")
    assert "Nur in Bergdorf gemeldet" in in_b.get("/").content.decode()
    assert "Nur in Bergdorf gemeldet" not in in_a.get("/").content.decode()
