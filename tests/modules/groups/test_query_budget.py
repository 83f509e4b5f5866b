"""The group list, a group's feed and the start page cost the same queries with 10 and 1,000 group posts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.groups.models import Comment, Group, Membership, Post
from tests.accounts.factories import UserFactory
from tests.helpers import START_PAGE_QUERY_BUDGET, logged_in_client, sql_statements

# "Open now" on the start page is cached per minute: compare within one minute.
pytestmark = pytest.mark.usefixtures("steady_minute")

# Measured for a signed-in member: group list 7, group feed 7, start page 12, API list 4, API posts 6.
# The budgets leave a little room for platform changes but would catch any per-post or per-group query.
BUDGETS = {"/groups/": 10, "/groups/lauftreff-altdorf/": 10, "/": START_PAGE_QUERY_BUDGET,
           "/api/v1/groups/groups/": 6, "/api/v1/groups/groups/lauftreff-altdorf/posts/": 8}


def _grow(group: Group, people, count: int, *, batch: str) -> None:
    """`count` posts (each with a comment) in the group, and a tenth as many more groups."""
    authors = [people["founder"], people["member"]]
    posts = Post.objects.bulk_create(
        Post(group=group, author=authors[number % 2], text=f"Beitrag {number}") for number in range(count)
    )
    Comment.objects.bulk_create(Comment(post=post, author=people["founder"], text="Gut") for post in posts)
    groups = Group.objects.bulk_create(
        Group(name=f"Gruppe {batch}-{number}", slug=f"gruppe-{batch}-{number}") for number in range(count // 10)
    )
    Membership.objects.bulk_create(Membership(group=g, user=people["member"]) for g in groups)


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", list(BUDGETS))
def test_queries_do_not_grow_with_the_number_of_posts(town_a, public_group, people, path, record_property,
                                                      pages_rendered):
    # given: a member of the group (token-less: the API accepts the site session too)
    people["member"].refresh_from_db()
    client = logged_in_client(town_a, people["member"])
    _grow(public_group, people, 10, batch="a")
    client.get(path)  # warm the caches (town lookup, profile, module switches) as in production
    few = _count(client, path)

    # when
    _grow(public_group, people, 990, batch="b")
    client.get(path)  # the first visitor after a change refills the page cache (core.page_cache)
    many = _count(client, path)

    # then
    record_property("queries", f"{path}: {few} with 10 posts, {many} with 1000")
    print(f"{path}: {few} queries with 10 posts, {many} with 1,000")
    assert few == many
    assert many <= BUDGETS[path]


def test_the_feed_source_is_one_query(public_group, people):
    from types import SimpleNamespace

    from modules.groups.feed import feed_items

    _grow(public_group, people, 50, batch="a")
    request = SimpleNamespace(user=UserFactory(email="neu@example.org"))
    with CaptureQueriesContext(connection) as queries:
        feed_items(SimpleNamespace(user=people["member"]), 12)
    assert len(sql_statements(queries)) == 1
    assert feed_items(request, 12) == []
