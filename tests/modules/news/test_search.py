"""Full-text search with the German stemmer."""

from __future__ import annotations

from modules.news import facade, selectors
from tests.modules.news.factories import ArticleFactory


def _found(term: str) -> list[str]:
    return list(selectors.article_list_visible(search=term).values_list("title", flat=True))


def test_search_finds_inflected_german_words(make_article):
    # given
    make_article(title="Neues Löschfahrzeug für die Feuerwehr", body="<p>Die Wehr freut sich.</p>")
    make_article(title="Kirmes", teaser="Die Gemeinde lädt alle Bürger ein.", body="<p>Es gibt Kuchen.</p>")

    # then: plural/inflected forms find the singular, in title, teaser and body
    assert _found("Feuerwehren") == ["Neues Löschfahrzeug für die Feuerwehr"]
    assert _found("Gemeinden") == ["Kirmes"]
    assert _found("Kuchens") == ["Kirmes"]
    assert _found("Schwimmbad") == []


def test_search_ignores_drafts_and_html_tags(make_article):
    make_article(title="Geheimer Entwurf über Feuerwehr", publish=False)
    make_article(title="Formatierter Text", body='<p><strong>Feuerwehrfest</strong> <a href="https://a.example/">x</a></p>')
    assert _found("Feuerwehr") == []
    assert _found("Feuerwehrfest") == ["Formatierter Text"]
    assert _found("strong") == []


def test_title_matches_rank_first(make_article):
    make_article(title="Bericht", body="<p>Am Rande erwähnt: der Sportplatz.</p>")
    make_article(title="Sportplatz wird saniert", body="<p>Arbeiten ab Montag.</p>")
    assert _found("Sportplatz")[0] == "Sportplatz wird saniert"


def test_search_page_and_facade(client_a, make_article):
    make_article(title="Neues Löschfahrzeug für die Feuerwehr")
    make_article(title="Kirmes")
    page = client_a.get("/news/?q=Feuerwehren").content.decode()
    assert "Neues Löschfahrzeug" in page and "Kirmes" not in page
    assert [a.title for a in facade.search_articles("feuerwehren")] == ["Neues Löschfahrzeug für die Feuerwehr"]


def test_search_is_per_town(town_a, town_b, client_b, in_town_a):
    ArticleFactory(title="Feuerwehr Altdorf übt")
    page = client_b.get("/news/?q=Feuerwehr").content.decode()
    assert "Feuerwehr Altdorf übt" not in page
