"""Pinnwand in a person's export and erasure: their posts go, their comments under others' posts stay nameless."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core.names import display_name
from core.personal_data import personal_data_erase
from modules.board.models import Comment, Post, PostPhoto, Reaction, Topic
from tests.core.personal_data_helpers import flat, person, section, stored_file

pytestmark = pytest.mark.django_db


def _post(author, text: str) -> Post:
    topic, _created = Topic.objects.get_or_create(slug="plausch", defaults={"name": "Plausch"})
    return Post.objects.create(author=author, topic=topic, text=text, expires_at=timezone.now() + timedelta(days=9))


@pytest.fixture
def board(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    annas = _post(anna, "Leiter gesucht")
    photo = stored_file("board/leiter.png")
    PostPhoto.objects.create(post=annas, image=photo, alt="Die Leiter")
    berts = _post(bert, "Kuchenbasar am Sonntag")
    Comment.objects.create(post=berts, author=anna, text="Ich backe einen Apfelkuchen.")
    Comment.objects.create(post=annas, author=bert, text="Meine Leiter ist frei.")
    Comment.objects.create(post=berts, author=bert, text="Danke, Anna!")
    Reaction.objects.create(post=berts, user=anna, kind="like")
    yield {"anna": anna, "bert": bert, "annas": annas, "berts": berts, "photo": photo}
    default_storage.delete(photo)


def test_export_holds_her_posts_photos_comments_and_reactions_only(board):
    data = section(board["anna"], "board")

    assert [post["text"] for post in data["posts"]] == ["Leiter gesucht"]
    assert data["posts"][0]["photos"] == [{"file": board["photo"], "alt": "Die Leiter"}]
    assert data["files"] == [board["photo"]]
    assert [comment["text"] for comment in data["comments"]] == ["Ich backe einen Apfelkuchen."]
    assert [reaction["kind"] for reaction in data["reactions"]] == ["like"]
    assert "Kuchenbasar" not in flat(data) and "Meine Leiter" not in flat(data) and "Danke" not in flat(data)


def test_erase_deletes_her_posts_and_keeps_her_comment_in_berts_thread_without_her_name(
    board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(board["anna"])

    assert not Post.objects.filter(pk=board["annas"].pk).exists()
    assert not default_storage.exists(board["photo"])
    assert not Reaction.objects.filter(post=board["berts"]).exists()
    kept = Comment.objects.select_related("author").get(text="Ich backe einen Apfelkuchen.")
    assert "Anna" not in display_name(kept.author)
    # Bert's post and his comment in his own thread are untouched.
    assert Post.objects.get(pk=board["berts"].pk).text == "Kuchenbasar am Sonntag"
    assert Comment.objects.filter(author=board["bert"], text="Danke, Anna!").exists()
