"""Leichte Sprache: official news can carry an easy-to-read text; readers switch to it and back."""

from __future__ import annotations

import pytest

from modules.news.models import Article
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EASY = "Die Gemeinde baut einen neuen Spielplatz.\nDer Spielplatz ist am Bürgerhaus."


def test_readers_switch_between_the_standard_text_and_leichte_sprache(in_town_a, client_a):
    article = ArticleFactory(title="Neuer Spielplatz", body="<p>Die Ausschreibung wurde vergeben.</p>",
                             body_easy=EASY)

    standard = client_a.get(article.get_absolute_url()).content.decode()
    easy = client_a.get(article.get_absolute_url() + "?fassung=leicht").content.decode()

    assert "Leichte Sprache" in standard and "In Leichter Sprache lesen" in standard
    assert "Die Ausschreibung wurde vergeben." in standard and "neuen Spielplatz" not in standard
    assert 'lang="de" aria-label="Leichte Sprache"' in easy
    assert "Die Gemeinde baut einen neuen Spielplatz.<br>Der Spielplatz ist am Bürgerhaus." in easy
    assert "Standard-Text" in easy and "<p>Die Ausschreibung wurde vergeben.</p>" not in easy


def test_news_without_leichte_sprache_offers_no_switch(in_town_a, client_a):
    article = ArticleFactory(body="<p>Nur Standard.</p>")

    html = client_a.get(article.get_absolute_url() + "?fassung=leicht").content.decode()

    assert "In Leichter Sprache lesen" not in html and "Nur Standard." in html


def test_the_editor_writes_leichte_sprache_in_the_form(in_town_a, admin_client_a):
    response = admin_client_a.post("/news/manage/new/", {"title": "Wasser abgestellt", "body": "Standardtext",
                                                          "body_easy": "  Morgen gibt es kein Wasser.  \n"})

    assert response.status_code == 302
    assert Article.objects.get(title="Wasser abgestellt").body_easy == "Morgen gibt es kein Wasser."


def test_a_clubs_news_gets_no_leichte_sprache_and_nothing_is_stored(in_town_a, admin_client_a):
    from town.models import Organisation

    club = Organisation.objects.create(name="Sportverein", slug="sportverein")

    response = admin_client_a.post("/news/manage/new/", {"title": "Sportfest", "body": "Text",
                                                          "body_easy": "Wir feiern.", "organisation": club.pk})

    assert response.status_code == 200
    assert "Einen Text in Leichter Sprache gibt es nur für amtliche Nachrichten." in response.content.decode()
    assert not Article.objects.filter(title="Sportfest").exists()
