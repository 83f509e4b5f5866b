"""Who hears about a new post or comment (through the notifications module)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.board import services
from tests.accounts.factories import UserFactory
from tests.helpers import sql_statements


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    import modules.notifications.facade as facade

    calls: list[dict] = []
    monkeypatch.setattr(facade, "notify", lambda **kwargs: calls.append(kwargs))
    return calls


def test_a_village_post_notifies_that_villages_residents_except_the_author(town_a, anna, ben, yara, make_post, sent):
    post = make_post(author=anna)

    assert len(sent) == 1
    call = sent[0]
    assert call["user_ids"] == [ben.pk]
    assert (call["topic"], call["event"], call["dedupe_key"]) == ("board.posts", "board.post", f"board.post:{post.pk}")
    assert call["url"] == f"/board/{post.pk}/"


def test_a_town_wide_post_notifies_everyone_but_the_author(town_a, anna, ben, yara, make_post, sent):
    make_post(author=anna, town_wide=True)

    recipients = set(sent[0]["user_ids"])
    assert {ben.pk, yara.pk} <= recipients and anna.pk not in recipients


def test_recipients_are_chosen_in_one_query_however_many_residents(town_a, villages, anna, make_post, sent):
    post = make_post(author=anna)
    for number in range(30):
        UserFactory(email=f"nachbar{number}@example.org", ortsgemeinde=villages["x"])

    with CaptureQueriesContext(connection) as queries:
        recipients = services.post_recipient_ids(post)

    assert len(recipients) == 30
    statements = sql_statements(queries)
    assert len(statements) == 1


def test_a_comment_notifies_the_posts_author_but_not_for_their_own(town_a, anna, ben, make_post, sent):
    post = make_post(author=anna)
    sent.clear()

    comment = services.comment_create(post=post, acting_user=ben, text="Gern!")
    services.comment_create(post=post, acting_user=anna, text="Danke!")

    assert len(sent) == 1
    assert sent[0]["user_ids"] == [anna.pk] and sent[0]["topic"] == "board.replies"
    assert sent[0]["dedupe_key"] == f"board.comment:{comment.pk}"


def test_with_notifications_switched_off_a_post_enqueues_nothing(town_a, anna, ben, make_post, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    from core.models import OutboxMessage
    from tenants.services import tenant_module_disable

    tenant_module_disable(tenant=town_a, key="notifications")

    with django_capture_on_commit_callbacks(execute=True):
        make_post(author=anna)

    # notify() and the announcement queue through the outbox: nothing there for the notifications module
    assert not OutboxMessage.objects.filter(task_name__startswith="notifications.").exists()
