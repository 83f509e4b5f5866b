"""The Pinnwand in the site-wide search: a village's post only for that village, never hidden or expired ones."""

from __future__ import annotations

from tests.core import search_content as content
from tests.helpers import TownClient, host_of, logged_in_client


def _finds(client, query: str, post) -> bool:
    return f'href="{post.get_absolute_url()}"' in client.get("/suche/", {"q": query}).content.decode()


def test_a_village_post_is_found_only_in_that_village(town_a, villages, anna, yara, moderator):
    # given a post for Xanten-Au
    post = content.board_post("Kinderflohmarkt im Gemeindehaus", author=anna, ortsgemeinde=villages["x"])
    # then its residents and the moderators find it, nobody else does
    assert _finds(logged_in_client(town_a, anna), "Kinderflohmarkt", post)
    assert _finds(logged_in_client(town_a, moderator), "Kinderflohmarkt", post)
    assert not _finds(logged_in_client(town_a, yara), "Kinderflohmarkt", post)
    assert not _finds(TownClient(host_of(town_a)), "Kinderflohmarkt", post)


def test_a_town_wide_post_is_found_by_every_visitor(town_a, villages, anna, yara):
    post = content.board_post("Altkleidersammlung am Samstag\nBitte Säcke an die Straße.", author=anna)
    page = TownClient(host_of(town_a)).get("/suche/", {"q": "Altkleidersammlung"}).content.decode()
    assert f'href="{post.get_absolute_url()}"' in page
    assert "Pinnwand · " in page and "<mark>Altkleidersammlung</mark> am Samstag" in page
    assert _finds(logged_in_client(town_a, yara), "altkleider", post)


def test_hidden_and_expired_posts_are_never_found(town_a, villages, anna):
    hidden = content.board_post("Rasenmäher zu verschenken", author=anna, hidden=True)
    expired = content.board_post("Rasenmäher gesucht", author=anna, expired=True)
    client = logged_in_client(town_a, anna)  # not even by their author
    assert not _finds(client, "Rasenmäher", hidden)
    assert not _finds(client, "Rasenmäher", expired)
