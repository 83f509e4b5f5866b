"""RSS 2.0 and Atom 1.0 feeds, per town and per Ortsgemeinde (ISOLATION T14)."""

from __future__ import annotations

import feedparser
import pytest
from django.db import connection

from tests.helpers import host_of
from tests.modules.news.factories import ArticleFactory


@pytest.fixture
def news_in_both_towns(town_a, town_b, villages):
    """A: a town-wide article and one per village; B: an article with the same title and slug."""
    ArticleFactory(title="Rathaus geschlossen", teaser="Am Montag bleibt das Rathaus zu.")
    ArticleFactory(title="Kirmes in Xanten-Au", ortsgemeinden=[villages["x"]])
    ArticleFactory(title="Dorfputz in Ypsdorf", ortsgemeinden=[villages["y"]])
    ArticleFactory(title="Entwurf", publish=False)
    connection.set_tenant(town_b)
    ArticleFactory(title="Rathaus geschlossen", teaser="Bergdorfer Text.")
    ArticleFactory(title="Nur in Bergdorf")
    connection.set_tenant(town_a)


def _parse(response, version: str):
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    return parsed


@pytest.mark.parametrize("kind, version", [("rss", "rss20"), ("atom", "atom10")])
def test_town_feed_is_valid_and_has_only_this_towns_items(news_in_both_towns, town_a, client_a, kind, version):
    # when
    feed = _parse(client_a.get(f"/news/feed/{kind}/"), version)

    # then
    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == ["Dorfputz in Ypsdorf", "Kirmes in Xanten-Au", "Rathaus geschlossen"]
    assert "Verbandsgemeinde Altdorf" in feed.feed.title
    own_origin = f"http://{host_of(town_a)}/"
    assert feed.feed.link.startswith(own_origin)
    for entry in feed.entries:
        assert entry.link.startswith(own_origin + "news/")
        assert entry.id == entry.link
        assert entry.get("published_parsed") or entry.get("updated_parsed")
    closed = next(e for e in feed.entries if e.title == "Rathaus geschlossen")
    assert "Am Montag" in closed.summary and "Bergdorfer" not in closed.summary


@pytest.mark.parametrize("kind, version", [("rss", "rss20"), ("atom", "atom10")])
def test_village_feed_has_town_wide_and_its_own_items(news_in_both_towns, client_a, kind, version):
    feed = _parse(client_a.get(f"/news/feed/xanten-au/{kind}/"), version)
    assert sorted(e.title for e in feed.entries) == ["Kirmes in Xanten-Au", "Rathaus geschlossen"]
    assert "Xanten-Au" in feed.feed.title


def test_other_town_feed_links_point_to_its_own_domain(news_in_both_towns, town_b, client_b):
    feed = _parse(client_b.get("/news/feed/rss/"), "rss20")
    assert sorted(e.title for e in feed.entries) == ["Nur in Bergdorf", "Rathaus geschlossen"]
    assert all(e.link.startswith(f"http://{host_of(town_b)}/news/") for e in feed.entries)
    # Altdorf's village does not exist in Bergdorf
    assert client_b.get("/news/feed/xanten-au/rss/").status_code == 404


def test_unknown_village_feed_is_404(client_a, in_town_a):
    assert client_a.get("/news/feed/nirgendwo/atom/").status_code == 404


def test_list_page_advertises_the_feeds(news_in_both_towns, client_a):
    page = client_a.get("/news/?ortsgemeinde=xanten-au").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/news/feed/xanten-au/atom/"' in page
