"""News in the site-wide search: published articles only, never drafts or articles scheduled for later."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.page_cache import generation_bump
from modules.news.models import Article, ArticleStatus
from tests.core import search_content as content


def _finds(client, query: str, article) -> bool:
    return f'href="{article.get_absolute_url()}"' in client.get("/suche/", {"q": query}).content.decode()


def test_only_published_articles_are_found(in_town_a, client_a):
    published = content.article("Glasfaser für Oberdorf", body="<p>Der Ausbau beginnt im Mai.</p>")
    draft = content.article("Glasfaser: Entwurf", publish=False)
    later = content.article("Glasfaser: Termine", publish_at=timezone.now() + timedelta(days=3))
    assert _finds(client_a, "Glasfaser", published)
    assert not _finds(client_a, "Glasfaser", draft)
    assert not _finds(client_a, "Glasfaser", later)
    # once its time has come, the scheduled article is news (even before the minute task flips it)
    Article.objects.filter(pk=later.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    generation_bump("news")  # update() sends no signal: the writer says so itself
    assert Article.objects.get(pk=later.pk).status == ArticleStatus.SCHEDULED
    assert _finds(client_a, "Glasfaser", later)


def test_the_result_shows_an_excerpt_of_the_text_without_markup(in_town_a, client_a):
    content.article("Sperrung der Hauptstraße", body="<p>Wegen <strong>Kanalarbeiten</strong> gesperrt.</p>")
    page = client_a.get("/suche/", {"q": "Kanalarbeiten"}).content.decode()
    assert "Wegen <mark>Kanalarbeiten</mark> gesperrt." in page
    assert "<strong>" not in page.split('id="main"', 1)[1]
