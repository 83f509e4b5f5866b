"""Town B can neither see nor change town A's posts, comments or topics, even with colliding ids (T1)."""

from __future__ import annotations

from django_tenants.utils import schema_context

from modules.board import services
from modules.board.models import Comment, Post, Reaction, Topic
from tests.helpers import admin_of, logged_in_client
from tests.modules.board.factories import TopicFactory


def test_town_b_gets_404_for_everything_of_town_a(town_a, town_b, anna, ben, make_post):
    post = make_post(author=anna, text="Nur in Altdorf", town_wide=True)
    comment = services.comment_create(post=post, acting_user=ben, text="Kommentar in Altdorf")
    plausch = TopicFactory(name="Plausch")
    admin_b = logged_in_client(town_b, admin_of(town_b))

    statuses = {
        "detail": admin_b.get(f"/board/{post.pk}/").status_code,
        "edit": admin_b.post(f"/board/{post.pk}/edit/", {"text": "B war hier", "target": "town"}).status_code,
        "delete": admin_b.post(f"/board/{post.pk}/delete/").status_code,
        "comment": admin_b.post(f"/board/{post.pk}/comments/", {"text": "Hallo aus B"}).status_code,
        "react": admin_b.post(f"/board/{post.pk}/react/", {"kind": "like"}).status_code,
        "comment-delete": admin_b.post(f"/board/comments/{comment.pk}/delete/").status_code,
    }
    board_b = admin_b.get("/board/").content.decode()

    assert set(statuses.values()) == {404}, statuses
    assert "Nur in Altdorf" not in board_b and "Nur in Altdorf" not in admin_b.get("/").content.decode()
    post.refresh_from_db()
    assert post.text == "Nur in Altdorf" and Comment.objects.filter(pk=comment.pk).exists()
    assert Topic.objects.filter(pk=plausch.pk).exists()
    with schema_context(town_b.schema_name):
        assert not Post.objects.exists() and not Comment.objects.exists() and not Reaction.objects.exists()
