"""The Pinnwand API: what a caller may read, and an app posting as a resident with their API token."""

from __future__ import annotations

from django_tenants.utils import schema_context

from modules.board.models import Comment, Post
from tests.api.helpers import issue_token, token_client
from tests.helpers import TownClient, host_of


def test_an_app_posts_and_comments_as_the_resident_whose_token_it_holds(town_a, anna, ben, make_post):
    client = token_client(town_a, issue_token(town_a, anna))

    created = client.post("/api/v1/board/posts/create/", {"text": "Per App: Wer hat Eier?", "topic": "hilfe"},
                          content_type="application/json")

    assert created.status_code == 201, created.content
    body = created.json()
    post = Post.objects.get(pk=body["id"])
    assert post.author == anna and post.ortsgemeinde.name == "Xanten-Au"
    assert body["author"] == "Anna A." and body["ortsgemeinde"]["slug"] == "xanten-au"
    assert body["url"].endswith(f"/board/{post.pk}/") and body["url"].startswith("http")

    commented = token_client(town_a, issue_token(town_a, ben)).post(
        f"/api/v1/board/posts/{post.pk}/comments/", {"text": "Ich!"}, content_type="application/json"
    )
    assert commented.status_code == 201
    assert Comment.objects.get().author == ben and commented.json()["author"] == "Ben B."


def test_writing_needs_a_token_and_bad_input_gets_json_errors(town_a, anna):
    anonymous = TownClient(host_of(town_a)).post("/api/v1/board/posts/create/", {"text": "x", "topic": "hilfe"},
                                                  content_type="application/json")
    client = token_client(town_a, issue_token(town_a, anna))
    empty = client.post("/api/v1/board/posts/create/", {"text": "", "topic": "hilfe"},
                        content_type="application/json")
    unknown_topic = client.post("/api/v1/board/posts/create/", {"text": "Hallo", "topic": "gibt-es-nicht"},
                                content_type="application/json")
    too_long = client.post("/api/v1/board/posts/create/", {"text": "x" * 2001, "topic": "hilfe"},
                           content_type="application/json")

    assert anonymous.status_code == 401 and anonymous.json()["detail"]
    assert empty.status_code == unknown_topic.status_code == too_long.status_code == 400
    assert "text" in empty.json() and "topic" in unknown_topic.json() and "text" in too_long.json()
    assert not Post.objects.exists()


def test_the_word_filter_answers_400_with_the_reason(town_a, anna, moderator):
    from modules.moderation.services import blocked_terms_replace

    blocked_terms_replace(text="saftladen", acting_user=moderator)

    response = token_client(town_a, issue_token(town_a, anna)).post(
        "/api/v1/board/posts/create/", {"text": "Saftladen", "topic": "hilfe", "target": "town"},
        content_type="application/json",
    )

    assert response.status_code == 400 and "saftladen" in str(response.json()["text"]).lower()
    assert not Post.objects.exists()


def test_the_list_shows_what_the_caller_may_see_and_filters(town_a, anna, yara, make_post):
    make_post(author=anna, text="Xanten-Au intern", topic__name="Hilfe")
    make_post(author=yara, text="Ypsdorf intern")
    make_post(author=yara, text="Für alle", topic__name="Fundsachen", town_wide=True)
    as_anna = token_client(town_a, issue_token(town_a, anna))

    mine = [p["text"] for p in as_anna.get("/api/v1/board/posts/").json()["results"]]
    found = [p["text"] for p in as_anna.get("/api/v1/board/posts/?topic=fundsachen").json()["results"]]
    town_only = [p["text"] for p in as_anna.get("/api/v1/board/posts/?ortsgemeinde=town").json()["results"]]
    other_village = as_anna.get("/api/v1/board/posts/?ortsgemeinde=ypsdorf").json()["results"]
    anonymous = [p["text"] for p in TownClient(host_of(town_a)).get("/api/v1/board/posts/").json()["results"]]

    assert mine == ["Für alle", "Xanten-Au intern"]
    assert found == ["Für alle"] and town_only == ["Für alle"] and other_village == []
    assert anonymous == ["Für alle"]
    assert as_anna.get("/api/v1/board/posts/?ortsgemeinde=nirgendwo").status_code == 400


def test_detail_has_comments_and_reactions_and_hides_other_villages(town_a, anna, ben, yara, make_post):
    from modules.board import services

    post = make_post(author=anna)
    services.comment_create(post=post, acting_user=ben, text="Kommentar")
    services.reaction_toggle(post=post, acting_user=ben, kind="thanks")

    body = token_client(town_a, issue_token(town_a, ben)).get(f"/api/v1/board/posts/{post.pk}/").json()
    other = token_client(town_a, issue_token(town_a, yara)).get(f"/api/v1/board/posts/{post.pk}/")

    assert [c["text"] for c in body["comments"]] == ["Kommentar"]
    assert body["reactions"] == {"thanks": 1, "like": 0, "join": 0}
    assert other.status_code == 404


def test_topics_are_listed(town_a, villages):
    body = TownClient(host_of(town_a)).get("/api/v1/board/topics/").json()

    assert [t["name"] for t in body["results"]] == ["Plausch", "Hilfe", "Fundsachen", "Hinweise"]


def test_town_b_neither_sees_nor_comments_on_town_as_posts(town_a, town_b, anna, make_post):
    from tests.accounts.factories import user_in_town

    post = make_post(author=anna, town_wide=True)
    resident_b = user_in_town(town_b, email="anna@example.org")
    client_b = token_client(town_b, issue_token(town_b, resident_b))

    assert client_b.get(f"/api/v1/board/posts/{post.pk}/").status_code == 404
    assert client_b.post(f"/api/v1/board/posts/{post.pk}/comments/", {"text": "Hallo"},
                         content_type="application/json").status_code == 404
    with schema_context(town_b.schema_name):
        assert not Comment.objects.exists()
