"""The start page's home feed shows the resident's board posts; pages cost the same queries for 10 or 1,000 posts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, sql_statements
from tests.modules.board.factories import posts_bulk

# "Open now" on the start page is cached per minute: compare within one minute.
pytestmark = pytest.mark.usefixtures("steady_minute")

# Measured 4/9 (board, anonymous/resident) and 3/6 (API); a little room, but any per-post query would show.
# The start page's total belongs to every module with a feed or widget: only its constancy is checked here.
BUDGETS = {"/board/": 12, "/api/v1/board/posts/": 8}


def _count(client, path: str) -> int:
    """SQL statements of one request, not counting django-tenants' `SET search_path` before each."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements(queries))


def test_the_start_page_shows_posts_of_my_ortsgemeinde_but_not_of_another(town_a, anna, yara, make_post):
    make_post(author=yara, text="Katze in Ypsdorf entlaufen")
    make_post(author=anna, text="Flohmarkt in Xanten-Au am Sonntag")
    make_post(author=yara, text="Straßenfest für alle", town_wide=True)

    home = logged_in_client(town_a, anna).get("/").content.decode()
    anonymous = TownClient(host_of(town_a)).get("/").content.decode()

    assert "Flohmarkt in Xanten-Au am Sonntag" in home and "Straßenfest für alle" in home
    assert "Katze in Ypsdorf entlaufen" not in home
    assert "Straßenfest für alle" in anonymous and "Flohmarkt" not in anonymous


def test_hidden_and_expired_posts_stay_out_of_the_feed(town_a, anna, ben, make_post):
    from datetime import timedelta

    from django.utils import timezone

    from modules.board.models import Post

    hidden = make_post(author=anna, text="Versteckter Beitrag")
    old = make_post(author=anna, text="Alter Beitrag")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Post.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))

    home = logged_in_client(town_a, ben).get("/").content.decode()

    assert "Versteckter Beitrag" not in home and "Alter Beitrag" not in home


@pytest.mark.parametrize("path", ["/", "/board/", "/api/v1/board/posts/"])
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_query_count_does_not_grow_with_the_number_of_posts(town_a, villages, anna, path, who, record_property,
                                                            pages_rendered):
    # given
    client = logged_in_client(town_a, anna) if who == "resident" else TownClient(host_of(town_a))
    neighbour = UserFactory(email="nachbar@example.org", ortsgemeinde=villages["x"])
    posts_bulk(neighbour, 5, ortsgemeinde=villages["x"])
    posts_bulk(neighbour, 5)
    client.get(path)  # warm the caches (town lookup, profile, module switches) as in production
    few = _count(client, path)

    # when
    posts_bulk(neighbour, 495, ortsgemeinde=villages["x"])
    posts_bulk(neighbour, 495, ortsgemeinde=villages["y"])
    many = _count(client, path)

    # then
    record_property("queries", f"{path} {who}: {few} with 10 posts, {many} with 1,000")
    print(f"{path} {who}: {few} queries with 10 posts, {many} with 1,000")
    assert few == many
    if path in BUDGETS:
        assert many <= BUDGETS[path]


def test_the_board_feed_itself_is_one_query(town_a, villages, anna, rf):
    from modules.board.facade import feed_items

    posts_bulk(anna, 50, ortsgemeinde=villages["x"])
    request = rf.get("/")
    request.user = anna
    anna.resident_profile  # noqa: B018 (loaded once per request by the platform anyway)

    with CaptureQueriesContext(connection) as queries:
        items = feed_items(request, 12)

    statements = sql_statements(queries)
    assert len(items) == 12 and len(statements) == 1
    assert items[0].kind_label.endswith("Plausch") and items[0].place == "Xanten-Au"


def test_a_post_page_costs_the_same_with_2_or_30_comments(town_a, villages, anna, ben, make_post):
    from modules.board.models import Comment, Reaction

    post = make_post(author=anna)
    client = logged_in_client(town_a, ben)
    neighbours = [UserFactory(email=f"kommentar{n}@example.org", ortsgemeinde=villages["x"]) for n in range(30)]
    Comment.objects.bulk_create(Comment(post=post, author=person, text="Gern") for person in neighbours[:2])
    client.get(f"/board/{post.pk}/")
    few = _count(client, f"/board/{post.pk}/")

    Comment.objects.bulk_create(Comment(post=post, author=person, text="Gern") for person in neighbours[2:])
    Reaction.objects.bulk_create(Reaction(post=post, user=person, kind="thanks") for person in neighbours)
    many = _count(client, f"/board/{post.pk}/")

    assert few == many


def test_a_long_first_line_is_shortened_at_a_word_and_the_rest_stays_readable(town_a, anna, make_post, rf):
    from modules.board.facade import feed_items

    text = "Am Samstag sammeln wir am Dorfplatz alte Fahrräder für die Werkstatt der Grundschule, bitte mit Luft " \
        "in den Reifen\nDanke!"
    make_post(author=anna, text=text, town_wide=True)
    request = rf.get("/")
    request.user = anna

    item = feed_items(request, 5)[0]

    assert item.title.endswith("…") and len(item.title) <= 90 and not item.title.endswith(" …")
    assert item.summary.startswith("…") and item.summary.endswith("Reifen\nDanke!")
