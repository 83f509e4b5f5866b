"""The news list, feeds, API and the town's start page cost a fixed number of queries, however many articles exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.news.models import Category
from tests.accounts.factories import UserFactory
from tests.helpers import START_PAGE_QUERY_BUDGET, TownClient, host_of, logged_in_client, sql_statements
from tests.modules.news.factories import ArticleFactory

# "Open now" on the start page is cached per minute: compare within one minute.
pytestmark = pytest.mark.usefixtures("steady_minute")

# Measured (anonymous / signed-in resident). The budgets leave a little room for
# platform changes but would catch any per-article query. The start page also carries
# the other modules' widgets and home feed, cached per town (core.page_cache): 0 anonymous,
# 6 for a resident; the news list 1 / 6 (categories and villages cached, no COUNT).
BUDGETS = {"/": START_PAGE_QUERY_BUDGET, "/news/": 8, "/news/feed/rss/": 10, "/api/v1/news/articles/": 10}


def _articles(count: int, villages, organisation) -> None:
    categories = list(Category.objects.all())
    for number in range(count):
        ArticleFactory(
            title=f"Meldung {number}",
            teaser="Kurz gesagt",
            category=categories[number % len(categories)],
            organisation=organisation if number % 2 else None,
            ortsgemeinden=[villages["x"]] if number % 3 == 0 else [],
        )


def _count(client, path: str) -> int:
    """SQL statements of one request, not counting django-tenants' `SET search_path` before each."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", list(BUDGETS))
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_query_count_does_not_grow_with_the_number_of_articles(town_a, villages, feuerwehr, path, who, record_property,
                                                               pages_rendered):
    # given
    if who == "resident":
        client = logged_in_client(town_a, UserFactory(email="x@example.org", ortsgemeinde=villages["x"]))
    else:
        client = TownClient(host_of(town_a))
    _articles(5, villages, feuerwehr)
    client.get(path)  # warm the caches (town lookup, profile, module switches) as in production
    few = _count(client, path)

    # when
    _articles(25, villages, feuerwehr)
    client.get(path)  # the first visitor after a change refills the page cache (core.page_cache)
    many = _count(client, path)

    # then
    record_property("queries", f"{path} {who}: {few} with 5 articles, {many} with 30")
    print(f"{path} {who}: {few} queries with 5 articles, {many} with 30")
    assert few == many
    assert many <= BUDGETS[path]
