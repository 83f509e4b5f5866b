"""Comments under posts and the three reactions, with plain forms that work without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from modules.board import services
from modules.board.models import COMMENT_MAX_LENGTH, Comment, Post, Reaction
from tests.helpers import TownClient, host_of, logged_in_client


def test_a_neighbour_comments_and_everyone_who_sees_the_post_reads_it(town_a, anna, ben, make_post):
    post = make_post(author=anna)

    text = "Ich hab eine!\nKomm vorbei."
    response = logged_in_client(town_a, ben).post(f"/board/{post.pk}/comments/", {"text": text})

    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    html = logged_in_client(town_a, anna).get(f"/board/{post.pk}/").content.decode()
    assert "Ich hab eine!<br>Komm vorbei." in html and "Ben B." in html


def test_empty_oversized_and_script_comments(town_a, anna, ben, make_post):
    post = make_post(author=anna)
    client = logged_in_client(town_a, ben)

    empty = client.post(f"/board/{post.pk}/comments/", {"text": "  "})
    too_long = client.post(f"/board/{post.pk}/comments/", {"text": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert empty.status_code == too_long.status_code == 400
    assert not Comment.objects.exists()

    client.post(f"/board/{post.pk}/comments/", {"text": "<img src=x onerror=alert(1)>"})
    html = client.get(f"/board/{post.pk}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_resident_of_another_ortsgemeinde_cannot_comment(town_a, anna, yara, make_post):
    post = make_post(author=anna)

    response = logged_in_client(town_a, yara).post(f"/board/{post.pk}/comments/", {"text": "Hallo"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_no_comments_on_an_expired_post(town_a, anna, make_post):
    post = make_post(author=anna)
    Post.objects.filter(pk=post.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = logged_in_client(town_a, anna).post(f"/board/{post.pk}/comments/", {"text": "Noch da?"})

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_author_deletes_their_comment_but_not_someone_elses(town_a, anna, ben, make_post):
    post = make_post(author=anna)
    by_ben = services.comment_create(post=post, acting_user=ben, text="Von Ben")

    refused = logged_in_client(town_a, anna).post(f"/board/comments/{by_ben.pk}/delete/")
    deleted = logged_in_client(town_a, ben).post(f"/board/comments/{by_ben.pk}/delete/")

    assert refused.status_code == 403
    assert deleted.status_code == 302
    assert not Comment.objects.exists()


def test_a_reaction_toggles_once_per_person_and_kind(town_a, anna, ben, make_post):
    post = make_post(author=anna)
    client = logged_in_client(town_a, ben)

    client.post(f"/board/{post.pk}/react/", {"kind": "thanks"})
    client.post(f"/board/{post.pk}/react/", {"kind": "join"})
    html = client.get(f"/board/{post.pk}/").content.decode()
    assert Reaction.objects.filter(post=post, user=ben).count() == 2
    assert 'aria-pressed="true"' in html

    client.post(f"/board/{post.pk}/react/", {"kind": "thanks"})  # the same button again takes it back

    assert list(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == ["join"]


def test_an_unknown_reaction_is_refused(town_a, anna, ben, make_post):
    post = make_post(author=anna)

    response = logged_in_client(town_a, ben).post(f"/board/{post.pk}/react/", {"kind": "<hass>"})

    assert response.status_code == 400
    assert not Reaction.objects.exists()


def test_anonymous_visitors_read_but_cannot_react_or_comment(town_a, anna, make_post):
    post = make_post(author=anna, town_wide=True)
    client = TownClient(host_of(town_a))

    page = client.get(f"/board/{post.pk}/").content.decode()
    react = client.post(f"/board/{post.pk}/react/", {"kind": "like"})
    comment = client.post(f"/board/{post.pk}/comments/", {"text": "Anonym"})

    assert "/accounts/login/" in page  # the invitation to sign in instead of the forms
    assert react.status_code == comment.status_code == 302 and "/accounts/login/" in react["Location"]
    assert not Reaction.objects.exists() and not Comment.objects.exists()
