"""Everyone's hourly limit on writing (core.ratelimit), on top of the limits for new accounts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from modules.board import services
from modules.board.models import Comment, Post
from tests.helpers import logged_in_client
from tests.modules.board.factories import TopicFactory


@override_settings(WRITE_LIMITS_PER_HOUR={"board.post": 2, "board.comment": 2})
def test_the_post_beyond_the_hourly_limit_is_refused_in_german_and_not_stored(town_a, anna):
    client = logged_in_client(town_a, anna)
    topic = TopicFactory(name="Hilfe")
    for text in ("Erster Beitrag", "Zweiter Beitrag"):
        assert client.post("/board/new/", {"topic": topic.pk, "text": text, "target": "ortsgemeinde"}).status_code \
            == 302

    refused = client.post("/board/new/", {"topic": topic.pk, "text": "Dritter Beitrag", "target": "ortsgemeinde"})

    assert refused.status_code == 400
    assert "Sie können höchstens 2 Beiträge pro Stunde senden. Nichts wurde gespeichert" in refused.content.decode()
    assert sorted(Post.objects.values_list("text", flat=True)) == ["Erster Beitrag", "Zweiter Beitrag"]


@override_settings(WRITE_LIMITS_PER_HOUR={"board.comment": 1})
def test_comments_have_their_own_limit(town_a, anna, ben):
    post = services.post_create(acting_user=anna, topic=TopicFactory(), text="Wer hilft?",
                                target=services.TARGET_TOWN)
    services.comment_create(post=post, acting_user=ben, text="Ich!")
    with pytest.raises(ValidationError) as refused:
        services.comment_create(post=post, acting_user=ben, text="Ich auch!")
    assert "höchstens 1 Kommentare pro Stunde" in " ".join(refused.value.messages)
    assert Comment.objects.count() == 1
    # Another person is not affected.
    services.comment_create(post=post, acting_user=anna, text="Danke!")
