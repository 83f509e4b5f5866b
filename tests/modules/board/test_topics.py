"""Topics the town defines: moderators and admins manage them; a topic in use can't be deleted."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from modules.board.models import Topic
from tests.helpers import TownClient, admin_of, host_of, logged_in_client
from tests.modules.board.factories import TopicFactory


def test_the_usual_topics_are_there_when_the_board_is_switched_on(town_a, in_town_a):
    assert list(Topic.objects.values_list("name", flat=True)) == ["Plausch", "Hilfe", "Fundsachen", "Hinweise"]


def test_a_moderator_adds_renames_and_deletes_a_topic(town_a, moderator):
    client = logged_in_client(town_a, moderator)

    assert client.get("/board/manage/topics/").status_code == 200
    client.post("/board/manage/topics/", {"name": "Mitfahrt"})
    new = Topic.objects.get(name="Mitfahrt")
    client.post(f"/board/manage/topics/{new.pk}/rename/", {"name": "Mitfahrten"})
    new.refresh_from_db()
    assert (new.name, new.slug) == ("Mitfahrten", "mitfahrt")  # the address stays
    client.post(f"/board/manage/topics/{new.pk}/delete/")
    assert not Topic.objects.filter(pk=new.pk).exists()


def test_the_town_admin_manages_topics_too(town_a, villages):
    response = logged_in_client(town_a, admin_of(town_a)).post("/board/manage/topics/", {"name": "Veranstaltungen"})

    assert response.status_code == 302 and Topic.objects.filter(name="Veranstaltungen").exists()


def test_residents_and_visitors_cannot_manage_topics(town_a, anna):
    resident = logged_in_client(town_a, anna)
    plausch = TopicFactory(name="Plausch")

    assert resident.get("/board/manage/topics/").status_code == 403
    assert resident.post("/board/manage/topics/", {"name": "Spam"}).status_code == 403
    assert resident.post(f"/board/manage/topics/{plausch.pk}/delete/").status_code == 403
    assert TownClient(host_of(town_a)).get("/board/manage/topics/").status_code == 302
    assert Topic.objects.count() == 4


def test_a_topic_in_use_is_kept_with_a_clear_message(town_a, anna, moderator, make_post):
    make_post(author=anna, topic__name="Fundsachen")
    client = logged_in_client(town_a, moderator)
    fundsachen = TopicFactory(name="Fundsachen")

    response = client.post(f"/board/manage/topics/{fundsachen.pk}/delete/", follow=True)

    assert Topic.objects.filter(pk=fundsachen.pk).exists()
    with translation.override("de"):
        expected = gettext(
            "“%(name)s” can't be deleted: %(count)d post (including expired and hidden ones) uses it. "
            "Rename the topic instead, or delete it once the post is gone."
        ) % {"name": "Fundsachen", "count": 1}
    assert escape(expected) in response.content.decode()


def test_a_duplicate_or_empty_name_is_refused(town_a, moderator):
    client = logged_in_client(town_a, moderator)

    duplicate = client.post("/board/manage/topics/", {"name": "hilfe"})
    empty = client.post("/board/manage/topics/", {"name": " "})

    assert duplicate.status_code == empty.status_code == 400
    assert Topic.objects.count() == 4
