"""The poll endpoint, the conversation page, the list and the API cost the same queries with 10 and 1,000 messages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import issue_token, token_client
from tests.helpers import logged_in_client, sql_statements
from tests.modules.conversations.factories import ConversationFactory, messages_bulk


def _count(client, path: str) -> int:
    """SQL statements of one request, not counting django-tenants' `SET search_path` before each."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", ["poll", "detail", "list", "api-messages", "api-list"])
def test_query_count_does_not_grow_with_the_number_of_messages(town_a, anna, ben, carla, path, record_property,
                                                               pages_rendered):
    conversation = ConversationFactory(sender=anna, recipients=[ben, carla])
    ConversationFactory(sender=ben, recipients=[carla])
    paths = {
        "poll": f"/conversations/{conversation.pk}/poll/?after=0",
        "detail": f"/conversations/{conversation.pk}/",
        "list": "/conversations/",
        "api-messages": f"/api/v1/conversations/{conversation.pk}/messages/",
        "api-list": "/api/v1/conversations/",
    }
    client = token_client(town_a, issue_token(town_a, ben)) if path.startswith("api") else logged_in_client(town_a, ben)
    messages_bulk(conversation, [anna, carla], 9)
    client.get(paths[path])  # warm the caches (town, profile, module switches) as in production
    messages_bulk(conversation, [anna, carla], 1)
    few = _count(client, paths[path])

    messages_bulk(conversation, [anna, carla, ben], 990)
    many = _count(client, paths[path])

    record_property("queries", f"{path}: {few} with 10 messages, {many} with 1,000")
    print(f"{path}: {few} queries with 10 messages, {many} with 1,000")
    assert few == many
    assert many <= 16
