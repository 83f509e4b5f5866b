"""Ortsgemeinde targeting: residents see town-wide news plus their own village's, nobody else's."""

from __future__ import annotations

from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.news.factories import ArticleFactory


def _titles(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_residents_see_their_village_and_town_wide_news(town_a, villages, client_a):
    # given
    ArticleFactory(title="Kirmes in Xanten-Au", ortsgemeinden=[villages["x"]])
    ArticleFactory(title="Dorfputz in Ypsdorf", ortsgemeinden=[villages["y"]])
    ArticleFactory(title="Rathaus geschlossen")  # whole town
    resident_x = UserFactory(email="x@example.org", ortsgemeinde=villages["x"])
    resident_y = UserFactory(email="y@example.org", ortsgemeinde=villages["y"])

    # when
    list_x = _titles(logged_in_client(town_a, resident_x).get("/news/"))
    list_y = _titles(logged_in_client(town_a, resident_y).get("/news/"))
    home_x = _titles(logged_in_client(town_a, resident_x).get("/"))
    home_y = _titles(logged_in_client(town_a, resident_y).get("/"))

    # then
    for page in (list_x, home_x):
        assert "Kirmes in Xanten-Au" in page and "Rathaus geschlossen" in page
        assert "Dorfputz in Ypsdorf" not in page
    for page in (list_y, home_y):
        assert "Dorfputz in Ypsdorf" in page and "Rathaus geschlossen" in page
        assert "Kirmes in Xanten-Au" not in page


def test_visitors_see_everything_and_can_filter_by_village(villages, client_a):
    ArticleFactory(title="Kirmes in Xanten-Au", ortsgemeinden=[villages["x"]])
    ArticleFactory(title="Dorfputz in Ypsdorf", ortsgemeinden=[villages["y"]])
    ArticleFactory(title="Rathaus geschlossen")

    everything = _titles(client_a.get("/news/"))
    only_x = _titles(client_a.get("/news/?ortsgemeinde=xanten-au"))

    assert all(t in everything for t in ("Kirmes in Xanten-Au", "Dorfputz in Ypsdorf", "Rathaus geschlossen"))
    assert "Kirmes in Xanten-Au" in only_x and "Rathaus geschlossen" in only_x
    assert "Dorfputz in Ypsdorf" not in only_x


def test_residents_can_choose_all_villages(town_a, villages):
    ArticleFactory(title="Dorfputz in Ypsdorf", ortsgemeinden=[villages["y"]])
    resident_x = UserFactory(email="x@example.org", ortsgemeinde=villages["x"])
    page = _titles(logged_in_client(town_a, resident_x).get("/news/?ortsgemeinde=all"))
    assert "Dorfputz in Ypsdorf" in page


def test_an_article_for_two_villages_is_listed_once(villages, client_a):
    ArticleFactory(title="Gemeinsamer Wandertag", ortsgemeinden=[villages["x"], villages["y"]])
    page = _titles(client_a.get("/news/"))
    assert page.count("Gemeinsamer Wandertag") == 1


def test_unknown_filter_values_are_ignored(villages, client_a):
    ArticleFactory(title="Rathaus geschlossen")
    page = _titles(client_a.get("/news/?ortsgemeinde=gibtsnicht&category=<script>&page=abc"))
    assert "Rathaus geschlossen" in page
