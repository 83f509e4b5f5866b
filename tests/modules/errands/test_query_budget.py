"""The open list, the API and the start page cost a fixed number of queries, however many requests exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.helpers import START_PAGE_QUERY_BUDGET, TownClient, host_of, logged_in_client, sql_statements
from tests.modules.errands.factories import ErrandFactory, TripFactory

# "Open now" on the start page is cached per minute: compare within one minute.
pytestmark = pytest.mark.usefixtures("steady_minute")

BUDGETS = {"/": START_PAGE_QUERY_BUDGET, "/errands/": 12, "/errands/trips/": 12, "/api/v1/errands/requests/": 10}


def _requests(count: int, villages) -> None:
    places = list(villages.values())
    for number in range(count):
        person = UserFactory(email=f"person{number}-{count}@example.org", ortsgemeinde=places[number % len(places)])
        ErrandFactory(requester=person, shop_name=f"Laden {number % 4}", ortsgemeinde=places[number % len(places)])
        if number % 5 == 0:
            TripFactory(helper=person, ortsgemeinden=[places[number % len(places)]])


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", list(BUDGETS))
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_query_count_does_not_grow_with_the_number_of_requests(town_a, villages, path, who, record_property,
                                                               pages_rendered):
    # given
    client = TownClient(host_of(town_a))
    if who == "resident":
        client = logged_in_client(town_a, UserFactory(email="leserin@example.org", ortsgemeinde=villages["kausen"]))
    _requests(5, villages)
    client.get(path)  # warm the caches as in production
    few = _count(client, path)

    # when
    _requests(25, villages)
    client.get(path)  # the first visitor after a change refills the page cache (core.page_cache)
    many = _count(client, path)

    # then
    record_property("queries", f"{path} {who}: {few} with 5 requests, {many} with 30")
    print(f"{path} {who}: {few} queries with 5 requests, {many} with 30")
    assert few == many
    assert many <= BUDGETS[path]
