"""The moderation module's rules apply before anything is stored; hidden content stays only for its author."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from modules.board import services
from modules.board.models import Comment, Post, Reaction
from modules.moderation.capabilities import moderated_content_kinds
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.board.factories import PostFactory, TopicFactory


def _block(term: str, moderator) -> None:
    from modules.moderation.services import blocked_terms_replace

    blocked_terms_replace(text=term, acting_user=moderator)


def test_the_word_filter_refuses_a_post_with_a_message_and_stores_nothing(town_a, anna, moderator):
    _block("saftladen", moderator)

    response = logged_in_client(town_a, anna).post(
        "/board/new/", {"topic": TopicFactory().pk, "text": "So ein Saftladen hier!", "target": "town"}
    )

    assert response.status_code == 400
    assert "saftladen" in response.content.decode().lower()
    assert not Post.objects.exists()


def test_the_word_filter_applies_to_comments_and_edits(town_a, anna, ben, moderator, make_post):
    post = make_post(author=anna, text="Harmlos")
    _block("saftladen", moderator)

    with pytest.raises(ValidationError):
        services.comment_create(post=post, acting_user=ben, text="Saftladen!")
    with pytest.raises(ValidationError):
        services.post_update(post=post, acting_user=anna, text="Saftladen", topic=post.topic, target="town")

    post.refresh_from_db()
    assert post.text == "Harmlos" and not Comment.objects.exists()


def test_new_accounts_hit_the_towns_daily_limit(town_a, villages):
    newcomer = UserFactory(email="neu@example.org", ortsgemeinde=villages["x"], new_account=True)
    for number in range(5):  # the moderation module's default for new accounts
        services.post_create(acting_user=newcomer, topic=TopicFactory(), text=f"Hallo {number}", target="town")

    with pytest.raises(ValidationError) as error:
        services.post_create(acting_user=newcomer, topic=TopicFactory(), text="Noch einer", target="town")

    assert "text" in error.value.message_dict
    assert Post.objects.count() == 5


def test_a_suspended_person_can_neither_post_comment_react_nor_edit(town_a, anna, ben, make_post, monkeypatch):
    import modules.moderation.facade as facade

    post = make_post(author=anna)

    def suspended(*, user, action):
        raise ValidationError("Ihr Konto ist gesperrt.")

    monkeypatch.setattr(facade, "activity_check", suspended)
    monkeypatch.setattr(facade, "user_is_suspended", lambda user_id: True)

    with pytest.raises(ValidationError):
        services.post_create(acting_user=ben, topic=TopicFactory(), text="Hallo", target="town")
    with pytest.raises(ValidationError):
        services.comment_create(post=post, acting_user=ben, text="Hallo")
    with pytest.raises(PermissionDenied):
        services.reaction_toggle(post=post, acting_user=ben, kind="like")
    with pytest.raises(PermissionDenied):
        services.post_update(post=post, acting_user=anna, text="Neu", topic=post.topic, target="town")
    assert Post.objects.count() == 1 and not Comment.objects.exists() and not Reaction.objects.exists()


def test_every_post_and_comment_has_a_report_link_for_others(town_a, anna, ben, make_post):
    from modules.moderation.facade import report_url

    post = make_post(author=anna)
    comment = services.comment_create(post=post, acting_user=anna, text="Nachtrag")

    seen_by_ben = logged_in_client(town_a, ben).get(f"/board/{post.pk}/").content.decode()
    board = logged_in_client(town_a, ben).get("/board/").content.decode()

    assert report_url(kind="board.post", object_id=post.pk) in seen_by_ben
    assert report_url(kind="board.comment", object_id=comment.pk) in seen_by_ben
    assert report_url(kind="board.post", object_id=post.pk) in board


def test_the_board_declares_posts_and_comments_as_reportable(town_a, anna, make_post):
    post = make_post(author=anna, text="Meldbar")
    comment = services.comment_create(post=post, acting_user=anna, text="Auch meldbar")
    kinds = moderated_content_kinds()

    post_summary = kinds["board.post"].get(post.pk)
    comment_summary = kinds["board.comment"].get(comment.pk)

    assert (post_summary.author_id, post_summary.excerpt) == (anna.pk, "Meldbar")
    assert post_summary.url == f"/board/{post.pk}/"
    assert comment_summary.url == f"/board/{post.pk}/#comment-{comment.pk}" and not comment_summary.is_hidden
    assert kinds["board.post"].get(999_999) is None


def test_a_hidden_post_is_gone_for_everyone_but_its_author_who_sees_a_note(town_a, anna, ben, make_post):
    post = make_post(author=anna, text="Versteckt")
    moderated_content_kinds()["board.post"].set_hidden(post.pk, True)

    assert "Versteckt" not in logged_in_client(town_a, ben).get("/board/").content.decode()
    assert logged_in_client(town_a, ben).get(f"/board/{post.pk}/").status_code == 404
    own = logged_in_client(town_a, anna).get(f"/board/{post.pk}/").content.decode()
    assert "Versteckt" in own
    assert "moderators" in own.lower() or "moderation" in own.lower()

    moderated_content_kinds()["board.post"].set_hidden(post.pk, False)
    assert "Versteckt" in logged_in_client(town_a, ben).get("/board/").content.decode()


def test_a_hidden_comment_is_seen_only_by_its_author(town_a, anna, ben, make_post):
    post = make_post(author=anna)
    comment = services.comment_create(post=post, acting_user=ben, text="Versteckter Kommentar")
    moderated_content_kinds()["board.comment"].set_hidden(comment.pk, True)

    assert "Versteckter Kommentar" not in logged_in_client(town_a, anna).get(f"/board/{post.pk}/").content.decode()
    assert "Versteckter Kommentar" in logged_in_client(town_a, ben).get(f"/board/{post.pk}/").content.decode()


def test_the_moderators_delete_a_post_and_a_comment(town_a, anna, ben, make_post):
    post = make_post(author=anna)
    comment = services.comment_create(post=post, acting_user=ben, text="Weg damit")

    moderated_content_kinds()["board.comment"].delete(comment.pk)
    assert not Comment.objects.exists()
    moderated_content_kinds()["board.post"].delete(post.pk)
    assert not Post.objects.exists()
    moderated_content_kinds()["board.post"].delete(post.pk)  # a second time finds nothing and does nothing


def test_a_village_post_cannot_be_read_through_the_report_page_from_another_village(town_a, anna, ben, yara):
    # given: a post for Xanten-Au only
    post = PostFactory(author=anna, text="Schlüssel am Dorfbrunnen gefunden")
    from modules.moderation.facade import report_url

    url = report_url(kind="board.post", object_id=post.pk)

    # then: Ben from the same village may report it; Yara from Ypsdorf finds nothing, not even its text
    assert logged_in_client(town_a, ben).get(url).status_code == 200
    page = logged_in_client(town_a, yara).get(url)
    assert page.status_code == 404 and "Dorfbrunnen" not in page.content.decode()
    visible_to = moderated_content_kinds()["board.post"].visible_to
    assert visible_to(post.pk, ben) and not visible_to(post.pk, yara)
