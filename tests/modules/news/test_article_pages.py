"""The public pages and the editors' back office, driven through HTTP."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.utils import timezone

from modules.news.models import Article, ArticleStatus, Category
from tests.helpers import host_of, logged_in_client
from tests.modules.news.factories import ArticleFactory, CategoryFactory


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_detail_page_has_valid_news_article_json_ld(town_a, client_a, feuerwehr, in_town_a):
    # given
    article = ArticleFactory(
        title='Übung </script><script>alert("x")</script> der Wehr',
        teaser="Großübung am Samstag.",
        organisation=feuerwehr,
        category=CategoryFactory(slug="feuerwehr"),
    )

    # when
    response = client_a.get(f"/news/{article.slug}/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script>alert("x")' not in html  # the title cannot break out of the JSON-LD block
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Übung </script>")
    for key in ("datePublished", "dateModified", "author", "publisher", "mainEntityOfPage"):
        assert data[key], key
    assert data["author"][0]["name"] == "Freiwillige Feuerwehr Altdorf"
    assert data["publisher"]["name"] == "Verbandsgemeinde Altdorf"
    assert data["publisher"]["logo"]["url"].startswith(f"http://{host_of(town_a)}/")
    assert data["url"] == f"http://{host_of(town_a)}/news/{article.slug}/"
    assert data["articleSection"] == "Feuerwehr"
    assert data["description"] == "Großübung am Samstag."


def test_drafts_are_404_for_the_public_and_a_preview_for_editors(town_a, client_a, admin_client_a, in_town_a):
    draft = ArticleFactory(title="Noch geheim", publish=False)
    assert client_a.get(f"/news/{draft.slug}/").status_code == 404
    preview = admin_client_a.get(f"/news/{draft.slug}/")
    assert preview.status_code == 200
    assert "application/ld+json" not in preview.content.decode()
    assert 'name="robots" content="noindex"' in preview.content.decode()


def test_list_is_paginated_newest_first(client_a, in_town_a):
    for number in range(12):
        ArticleFactory(title=f"Meldung {number:02d}")
    first = client_a.get("/news/").content.decode()
    second = client_a.get("/news/?page=2").content.decode()
    assert "Meldung 11" in first and "Meldung 02" in first and "Meldung 01" not in first
    assert "Meldung 01" in second and "Meldung 00" in second
    assert first.index("Meldung 11") < first.index("Meldung 10")


def test_category_filter(client_a, in_town_a):
    ArticleFactory(title="Brand im Wald", category=CategoryFactory(slug="feuerwehr"))
    ArticleFactory(title="Gottesdienst", category=CategoryFactory(slug="kirche"))
    page = client_a.get("/news/?category=kirche").content.decode()
    assert "Gottesdienst" in page and "Brand im Wald" not in page


def test_editor_writes_schedules_and_publishes_through_the_back_office(town_a, fire_editor, feuerwehr, villages):
    client = logged_in_client(town_a, fire_editor)

    # create a draft (plain text body with a hostile tag, targeted at one village)
    response = client.post("/news/manage/new/", {
        "title": "Tag der offenen Tür", "teaser": "Alle sind eingeladen.",
        "body": "<p>Wir zeigen unsere Fahrzeuge.</p><script>alert(1)</script>",
        "organisation": feuerwehr.pk, "ortsgemeinden": [villages["x"].pk],
    })
    article = Article.objects.get(title="Tag der offenen Tür")
    assert response.status_code == 302 and response["Location"] == f"/news/manage/{article.slug}/edit/"
    assert article.status == ArticleStatus.DRAFT and "script" not in article.body
    assert list(article.ortsgemeinden.all()) == [villages["x"]]
    assert article.created_by == fire_editor

    # edit it
    response = client.post(f"/news/manage/{article.slug}/edit/", {
        "title": "Tag der offenen Tür 2026", "teaser": "", "body": "Neuer Text", "organisation": feuerwehr.pk,
    })
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tag der offenen Tür 2026" and article.body == "<p>Neuer Text</p>"
    assert not article.ortsgemeinden.exists()

    # a date in the past is refused with a message
    response = client.post(f"/news/manage/{article.slug}/publish/", {"publish_at": "2001-01-01T10:00"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT

    # schedule it
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(f"/news/manage/{article.slug}/publish/", {"publish_at": when.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.SCHEDULED and article.publish_at == when

    # publish right away instead, then take it back
    client.post(f"/news/manage/{article.slug}/publish/", {"publish_at": ""})
    article.refresh_from_db()
    assert article.is_visible
    assert "Tag der offenen Tür 2026" in client.get("/news/manage/").content.decode()
    client.post(f"/news/manage/{article.slug}/unpublish/")
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT

    # delete it
    assert client.get(f"/news/manage/{article.slug}/delete/").status_code == 200
    assert client.post(f"/news/manage/{article.slug}/delete/").status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_bad_input_shows_messages_and_changes_nothing(admin_client_a, in_town_a):
    response = admin_client_a.post("/news/manage/new/", {"title": "", "body": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Article.objects.exists()


def test_back_office_nav_shows_news_for_editors_only(town_a, fire_editor, client_a):
    page = logged_in_client(town_a, fire_editor).get("/backoffice/").content.decode()
    assert 'href="/news/manage/"' in page
    assert 'href="/news/manage/categories/"' not in page  # categories are the town admin's
    assert 'href="/news/"' in client_a.get("/").content.decode()


def test_town_admin_maintains_categories(admin_client_a, in_town_a):
    # the defaults were seeded when the module was installed
    assert {"rathaus", "vereine", "feuerwehr", "kirche", "schule", "veranstaltungen"} <= set(
        Category.objects.values_list("slug", flat=True)
    )
    admin_client_a.post("/news/manage/categories/", {"name": "Bauen und Wohnen"})
    added = Category.objects.get(name="Bauen und Wohnen")
    assert added.slug == "bauen-und-wohnen"
    response = admin_client_a.post("/news/manage/categories/", {"name": "bauen und wohnen"})
    assert response.status_code == 200 and Category.objects.filter(name__iexact="bauen und wohnen").count() == 1
    admin_client_a.post(f"/news/manage/categories/{added.pk}/rename/", {"name": "Bauen"})
    assert Category.objects.get(pk=added.pk).name == "Bauen"
    article = ArticleFactory(title="Neubaugebiet", category=added)
    admin_client_a.post(f"/news/manage/categories/{added.pk}/delete/")
    article.refresh_from_db()
    assert article.category is None  # the article stays
