"""Writing, reading, editing and deleting posts on the Pinnwand, through the pages a resident uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from modules.board import services
from modules.board.models import TEXT_MAX_LENGTH, Post
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.board.factories import TopicFactory


def _form(text: str = "Suche jemanden, der mit mir am Samstag Holz macht.", *, topic_name: str = "Hilfe",
          target: str = "ortsgemeinde", **extra) -> dict:
    return {"topic": TopicFactory(name=topic_name).pk, "text": text, "target": target, **extra}


def test_a_resident_posts_for_their_ortsgemeinde_and_sees_it_on_the_board(town_a, anna):
    # given
    client = logged_in_client(town_a, anna)

    # when
    response = client.post("/board/new/", _form())

    # then
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/board/{post.pk}/"
    assert post.author == anna and post.ortsgemeinde.name == "Xanten-Au" and post.topic.name == "Hilfe"
    assert (post.expires_at - timezone.now()).days in (29, 30)  # the town's default lifetime
    page = client.get("/board/")
    assert "Suche jemanden, der mit mir am Samstag Holz macht." in page.content.decode()
    detail = client.get(f"/board/{post.pk}/").content.decode()
    assert "Anna A." in detail and "anna@example.org" not in detail


def test_the_town_sets_how_long_posts_stay(town_a, anna):
    from tenants.services import tenant_module_configure

    tenant_module_configure(tenant=town_a, key="board", data={"expiry_days": 7})

    post = services.post_create(acting_user=anna, topic=TopicFactory(), text="Kurz", target=services.TARGET_TOWN)

    assert (post.expires_at - timezone.now()).days in (6, 7)


def test_empty_text_is_refused_with_a_message_and_nothing_is_stored(town_a, anna):
    response = logged_in_client(town_a, anna).post("/board/new/", _form("   "))

    assert response.status_code == 400
    with translation.override("de"):
        assert gettext("This field is required.") in response.content.decode()
    assert not Post.objects.exists()


def test_oversized_text_is_refused_by_page_and_service(town_a, anna):
    long_text = "a" * (TEXT_MAX_LENGTH + 1)

    response = logged_in_client(town_a, anna).post("/board/new/", _form(long_text))

    assert response.status_code == 400
    assert not Post.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.post_create(acting_user=anna, topic=TopicFactory(), text=long_text, target="town")
    assert "text" in error.value.message_dict
    assert not Post.objects.exists()


def test_html_and_script_are_shown_as_text_never_run(town_a, anna):
    client = logged_in_client(town_a, anna)
    text = "<script>alert('x')</script>\n<b>fett</b> https://example.org"
    client.post("/board/new/", _form(text))
    post = Post.objects.get()

    detail = client.get(f"/board/{post.pk}/").content.decode()
    board = client.get("/board/").content.decode()

    for html in (detail, board):
        assert "<script>alert" not in html and "<b>fett</b>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;/script&gt;<br>&lt;b&gt;fett" in detail  # the line break is kept
    assert 'href="https://example.org"' not in detail  # links stay plain text
    assert post.text == text  # stored as typed


def test_a_resident_without_ortsgemeinde_posts_town_wide_only(town_a, villages):
    person = UserFactory(email="ohne@example.org")

    with pytest.raises(ValidationError) as error:
        services.post_create(acting_user=person, topic=TopicFactory(), text="Hallo", target="ortsgemeinde")
    post = services.post_create(acting_user=person, topic=TopicFactory(), text="Hallo", target="town")

    assert "target" in error.value.message_dict
    assert post.ortsgemeinde is None


def test_anonymous_visitors_are_sent_to_sign_in_before_writing(town_a, villages):
    response = TownClient(host_of(town_a)).post("/board/new/", _form())

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Post.objects.exists()


def test_the_author_edits_their_post(town_a, anna, make_post):
    post = make_post(author=anna, text="Alt")

    response = logged_in_client(town_a, anna).post(f"/board/{post.pk}/edit/", _form("Neu", topic_name="Hinweise",
                                                                                    target="town"))

    post.refresh_from_db()
    assert response.status_code == 302
    assert (post.text, post.topic.name, post.ortsgemeinde) == ("Neu", "Hinweise", None)


def test_someone_else_cannot_edit_or_delete_a_post(town_a, anna, ben, make_post):
    post = make_post(author=anna, text="Von Anna")
    client = logged_in_client(town_a, ben)

    assert client.get(f"/board/{post.pk}/edit/").status_code == 403
    assert client.post(f"/board/{post.pk}/edit/", _form("Gekapert")).status_code == 403
    assert client.post(f"/board/{post.pk}/delete/").status_code == 403
    post.refresh_from_db()
    assert post.text == "Von Anna"
    with pytest.raises(PermissionDenied):
        services.post_delete(post=post, acting_user=ben)


def test_a_post_of_another_ortsgemeinde_cannot_even_be_found_for_editing(town_a, anna, yara, make_post):
    post = make_post(author=anna)

    client = logged_in_client(town_a, yara)

    assert client.get(f"/board/{post.pk}/").status_code == 404
    assert client.post(f"/board/{post.pk}/edit/", _form("x")).status_code == 404


def test_the_author_deletes_their_post(town_a, anna, make_post):
    post = make_post(author=anna)
    client = logged_in_client(town_a, anna)

    assert client.get(f"/board/{post.pk}/delete/").status_code == 200
    response = client.post(f"/board/{post.pk}/delete/")

    assert response.status_code == 302
    assert not Post.objects.exists()


def test_residents_of_another_ortsgemeinde_do_not_see_the_post(town_a, anna, ben, yara, make_post):
    make_post(author=anna, text="Nur für Xanten-Au")
    make_post(author=yara, text="Nur für Ypsdorf")
    make_post(author=yara, text="Für alle im Ort", town_wide=True)

    seen_by_ben = logged_in_client(town_a, ben).get("/board/").content.decode()
    seen_by_yara = logged_in_client(town_a, yara).get("/board/").content.decode()
    seen_anonymously = TownClient(host_of(town_a)).get("/board/").content.decode()

    assert "Nur für Xanten-Au" in seen_by_ben and "Nur für Ypsdorf" not in seen_by_ben
    assert "Nur für Ypsdorf" in seen_by_yara and "Nur für Xanten-Au" not in seen_by_yara
    assert "Für alle im Ort" in seen_by_ben and "Für alle im Ort" in seen_anonymously
    assert "Nur für" not in seen_anonymously


def test_moderators_see_every_ortsgemeinde(town_a, anna, yara, moderator, make_post):
    make_post(author=anna, text="Nur für Xanten-Au")
    make_post(author=yara, text="Nur für Ypsdorf")

    html = logged_in_client(town_a, moderator).get("/board/?ortsgemeinde=ypsdorf").content.decode()

    assert "Nur für Ypsdorf" in html and "Nur für Xanten-Au" not in html


def test_the_list_filters_by_topic_and_town_wide_and_is_newest_first(town_a, anna, make_post):
    make_post(author=anna, text="Hilfe gesucht", topic__name="Hilfe")
    make_post(author=anna, text="Schlüssel gefunden", topic__name="Fundsachen", town_wide=True)
    make_post(author=anna, text="Neueste Frage", topic__name="Hilfe")
    client = logged_in_client(town_a, anna)

    by_topic = client.get("/board/?topic=fundsachen").content.decode()
    town_only = client.get("/board/?ortsgemeinde=town").content.decode()
    everything = client.get("/board/").content.decode()
    unknown = client.get("/board/?topic=gibt-es-nicht&ortsgemeinde=<x>")

    assert "Schlüssel gefunden" in by_topic and "Hilfe gesucht" not in by_topic
    assert "Schlüssel gefunden" in town_only and "Neueste Frage" not in town_only
    order = [everything.index(text) for text in ("Neueste Frage", "Schlüssel gefunden", "Hilfe gesucht")]
    assert order == sorted(order)
    assert unknown.status_code == 200  # unknown filter values are ignored, not an error page


def test_the_list_is_paginated(town_a, anna):
    from tests.modules.board.factories import posts_bulk

    posts_bulk(anna, 25)
    client = logged_in_client(town_a, anna)

    first, second = client.get("/board/").content.decode(), client.get("/board/?page=2").content.decode()

    assert "Beitrag 24" in first and "Beitrag 0<" not in first
    assert "Beitrag 0<" in second and "Beitrag 24" not in second


def test_expired_posts_leave_the_board_but_the_author_can_still_open_them(town_a, anna, ben, make_post):
    post = make_post(author=anna, text="Bald weg")
    Post.objects.filter(pk=post.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert "Bald weg" not in logged_in_client(town_a, ben).get("/board/").content.decode()
    assert logged_in_client(town_a, ben).get(f"/board/{post.pk}/").status_code == 404
    assert logged_in_client(town_a, anna).get(f"/board/{post.pk}/").status_code == 200


def test_neighbours_get_a_send_a_message_link_next_to_the_author(town_a, anna, ben, make_post):
    from modules.conversations.facade import conversation_start_url

    post = make_post(author=anna)
    link = conversation_start_url(recipient_id=anna.pk)
    assert link

    seen_by_ben = logged_in_client(town_a, ben).get(f"/board/{post.pk}/").content.decode()
    board_for_ben = logged_in_client(town_a, ben).get("/board/").content.decode()
    seen_by_anna = logged_in_client(town_a, anna).get(f"/board/{post.pk}/").content.decode()

    assert escape(link) in seen_by_ben and escape(link) in board_for_ben
    assert escape(link) not in seen_by_anna  # not to oneself
