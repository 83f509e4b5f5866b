"""Search, lists and feeds return only the current town's rows (ISOLATION T14, T15)."""

from __future__ import annotations

from django.db import connection

from tests.conftest import admin_of


def _publish_in(town, title: str) -> None:
    from modules.news.services import article_create, article_publish

    connection.set_tenant(town)
    try:
        admin = admin_of(town)
        article = article_create(acting_user=admin, title=title, teaser="Nur hier", body="<p>Text</p>")
        article_publish(article=article, acting_user=admin)
    finally:
        connection.set_schema_to_public()


def _make_person_in(town, email: str) -> None:
    from accounts.models import User

    connection.set_tenant(town)
    try:
        User.objects.create_user(email=email, name="Walburga Einzigartig", password="x" * 12)
    finally:
        connection.set_schema_to_public()


def test_t14_news_search_page_and_api_find_only_this_towns_articles(town_a, town_b, client_a, client_b):
    _publish_in(town_a, "Kirmes am Dorfweiher Quappenteich")
    # The query itself is echoed in the search box: look for the rest of the title.
    assert "Kirmes am Dorfweiher" in client_a.get("/news/", {"q": "Quappenteich"}).content.decode()
    assert "Kirmes am Dorfweiher" not in client_b.get("/news/", {"q": "Quappenteich"}).content.decode()
    api_a = client_a.get("/api/v1/news/articles/", {"search": "Quappenteich"}).json()
    api_b = client_b.get("/api/v1/news/articles/", {"search": "Quappenteich"}).json()
    assert api_a["count"] == 1
    assert api_b["count"] == 0


def test_t14_feeds_list_only_this_towns_articles(town_a, town_b, client_a, client_b):
    _publish_in(town_a, "Glasfaserausbau Quappenteich")
    assert "Quappenteich" in client_a.get("/news/feed/rss/").content.decode()
    assert "Quappenteich" not in client_b.get("/news/feed/rss/").content.decode()
    assert "Quappenteich" not in client_b.get("/news/feed/atom/").content.decode()


def test_t15_a_town_admin_searches_only_the_people_of_their_own_town(town_a, town_b, admin_client_a, admin_client_b):
    _make_person_in(town_a, "walburga@example.org")
    assert "Einzigartig" in admin_client_a.get("/backoffice/personen/", {"q": "Walburga"}).content.decode()
    page_b = admin_client_b.get("/backoffice/personen/", {"q": "Walburga"}).content.decode()
    assert "Einzigartig" not in page_b and "walburga@example.org" not in page_b


def test_t14_the_site_search_finds_only_this_towns_content(town_a, town_b, client_a, client_b):
    from tests.core import search_content as content

    # given the same search word in both towns, in every searchable module; each town's texts
    # also carry a street name of its own (pks and slugs would collide between the towns)
    streets = {town_a.slug: "Ahornweg", town_b.slug: "Birkenweg"}
    for town in (town_a, town_b):
        street = streets[town.slug]
        connection.set_tenant(town)
        try:
            content.article(f"Quappenteich Sommerfest {street}")
            content.board_post(f"Quappenteich: wer hilft am {street}?")
            content.business(f"Quappenteich Getränke {street}")
            content.listing(f"Quappenteich Festbank {street}")
            content.group(f"Quappenteich Freunde {street}")
        finally:
            connection.set_schema_to_public()
    # when each town's visitor searches for it
    page_a = client_a.get("/suche/", {"q": "Quappenteich"}).content.decode()
    page_b = client_b.get("/suche/", {"q": "Quappenteich"}).content.decode()
    # then each finds all five of its own town's, and nothing of the other town's
    assert page_a.count("Ahornweg") == 5 and "Birkenweg" not in page_a
    assert page_b.count("Birkenweg") == 5 and "Ahornweg" not in page_b
