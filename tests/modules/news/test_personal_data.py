"""News in a person's export and erasure: the articles are the town's and stay, without who typed them."""

from __future__ import annotations

import pytest

from core.personal_data import personal_data_erase
from modules.news.models import Article
from tests.core.personal_data_helpers import flat, person, section

pytestmark = pytest.mark.django_db


def test_export_lists_her_articles_and_erase_keeps_them_without_her(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    annas = Article.objects.create(title="Feuerwehrfest", slug="feuerwehrfest", body="<p>Am Samstag</p>",
                                   image="news/fest.png", created_by=anna)
    Article.objects.create(title="Gemeinderat tagt", slug="gemeinderat", created_by=bert)

    data = section(anna, "news")
    assert [a["title"] for a in data["articles"]] == ["Feuerwehrfest"]
    assert data["files"] == ["news/fest.png"]
    assert "Gemeinderat" not in flat(data)

    personal_data_erase(anna)

    annas.refresh_from_db()
    assert (annas.title, annas.created_by_id, annas.image.name) == ("Feuerwehrfest", None, "news/fest.png")
    assert Article.objects.get(slug="gemeinderat").created_by_id == bert.pk
