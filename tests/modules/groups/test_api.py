"""The groups API: groups for everyone, posts for those who may read them (404 otherwise), posting with a token."""

from __future__ import annotations

from django_tenants.utils import schema_context

from modules.groups.models import Post
from tests.accounts.factories import UserFactory
from tests.api.helpers import issue_token, token_client
from tests.helpers import TownClient, host_of
from tests.modules.groups.factories import PostFactory


def test_groups_are_listed_with_search_and_detail(town_a, public_group, closed_group):
    client = TownClient(host_of(town_a))

    listed = client.get("/api/v1/groups/groups/").json()
    searched = client.get("/api/v1/groups/groups/?search=linden").json()
    detail = client.get("/api/v1/groups/groups/lauftreff-altdorf/").json()

    assert [g["slug"] for g in listed["results"]] == ["lauftreff-altdorf", "nachbarschaft-lindenweg"]
    assert [g["slug"] for g in searched["results"]] == ["nachbarschaft-lindenweg"]
    assert detail["visibility"] == "public" and detail["member_count"] == 2
    assert detail["url"].endswith(f"{host_of(town_a)}/groups/lauftreff-altdorf/")
    assert client.get("/api/v1/groups/groups/?ortsgemeinde=nirgendwo").status_code == 400


def test_a_closed_groups_posts_are_404_for_non_members_and_listed_for_members(town_a, closed_group, people):
    PostFactory(group=closed_group, author=people["member"], text="Nur für uns")
    outsider = token_client(town_a, issue_token(town_a, people["outsider"]))
    member = token_client(town_a, issue_token(town_a, people["member"]))

    refused = outsider.get("/api/v1/groups/groups/nachbarschaft-lindenweg/posts/")
    listed = member.get("/api/v1/groups/groups/nachbarschaft-lindenweg/posts/")

    assert refused.status_code == 404
    assert "Nur für uns" not in refused.content.decode()
    assert [p["text"] for p in listed.json()["results"]] == ["Nur für uns"]
    assert listed.json()["results"][0]["author"] == "Max M."
    assert TownClient(host_of(town_a)).get("/api/v1/groups/groups/nachbarschaft-lindenweg/posts/").status_code == 401


def test_a_public_groups_posts_are_readable_with_any_residents_token(town_a, public_group, people):
    PostFactory(group=public_group, author=people["member"], text="Montag 18 Uhr")
    outsider = token_client(town_a, issue_token(town_a, people["outsider"]))
    response = outsider.get("/api/v1/groups/groups/lauftreff-altdorf/posts/")
    assert response.status_code == 200
    assert [p["text"] for p in response.json()["results"]] == ["Montag 18 Uhr"]


def test_a_member_posts_with_a_token_and_others_cannot(town_a, public_group, closed_group, people, sent):
    member = token_client(town_a, issue_token(town_a, people["member"]))
    outsider = token_client(town_a, issue_token(town_a, people["outsider"]))

    created = member.post("/api/v1/groups/groups/lauftreff-altdorf/posts/create/", {"text": "Per App gepostet"},
                          content_type="application/json")
    not_member = outsider.post("/api/v1/groups/groups/lauftreff-altdorf/posts/create/", {"text": "Ich auch"},
                               content_type="application/json")
    closed = outsider.post("/api/v1/groups/groups/nachbarschaft-lindenweg/posts/create/", {"text": "Hallo"},
                           content_type="application/json")

    assert created.status_code == 201 and created.json()["text"] == "Per App gepostet"
    assert not_member.status_code == 403
    assert closed.status_code == 404
    assert list(Post.objects.values_list("text", flat=True)) == ["Per App gepostet"]
    assert [n["event"] for n in sent] == ["groups.post"]


def test_empty_and_oversized_posts_are_400_with_a_message_and_nothing_stored(town_a, public_group, people):
    member = token_client(town_a, issue_token(town_a, people["member"]))
    for text in ("", "   ", "x" * 3001):
        response = member.post("/api/v1/groups/groups/lauftreff-altdorf/posts/create/", {"text": text},
                               content_type="application/json")
        assert response.status_code == 400, text
        assert response.json()["text"]
    assert not Post.objects.exists()


def test_town_b_sees_none_of_town_as_groups(town_a, town_b, closed_group, public_group, people):
    PostFactory(group=public_group, author=people["member"])
    b = TownClient(host_of(town_b))
    with schema_context(town_b.schema_name):

        rita = UserFactory(email="rita.b@example.org", name="Rita B")
    b_token = token_client(town_b, issue_token(town_b, rita))

    assert b.get("/api/v1/groups/groups/").json()["results"] == []
    assert b.get("/api/v1/groups/groups/lauftreff-altdorf/").status_code == 404
    assert b_token.get("/api/v1/groups/groups/lauftreff-altdorf/posts/").status_code == 404
    assert b_token.post("/api/v1/groups/groups/lauftreff-altdorf/posts/create/", {"text": "x"},
                        content_type="application/json").status_code == 404
