"""What other modules and the platform get from news: plain dataclasses with absolute links."""

from __future__ import annotations

import dataclasses

from modules.news import facade
from tests.helpers import host_of
from tests.modules.news.factories import ArticleFactory


def test_articles_for_organisation_lists_only_its_visible_articles(town_a, feuerwehr, sportverein):
    ArticleFactory(title="Übung", organisation=feuerwehr)
    ArticleFactory(title="Entwurf der Wehr", organisation=feuerwehr, publish=False)
    ArticleFactory(title="Vereinsfest", organisation=sportverein)

    found = facade.articles_for_organisation(feuerwehr.pk, limit=5)

    assert [a.title for a in found] == ["Übung"]
    summary = found[0]
    assert dataclasses.is_dataclass(summary) and summary.organisation_id == feuerwehr.pk
    assert summary.url == f"http://{host_of(town_a)}/news/uebung/"
    assert summary.published_at is not None and summary.image_url == ""


def test_latest_articles_respects_village_and_limit(villages):
    ArticleFactory(title="Für Ypsdorf", ortsgemeinden=[villages["y"]])
    for number in range(6):
        ArticleFactory(title=f"Meldung {number}")

    for_x = facade.latest_articles(ortsgemeinde_id=villages["x"].pk, limit=10)
    newest = facade.latest_articles(limit=3)

    assert "Für Ypsdorf" not in [a.title for a in for_x] and len(for_x) == 6
    assert [a.title for a in newest] == ["Meldung 5", "Meldung 4", "Meldung 3"]
