"""/api/v1/news/: read for everyone, write for editors; ETag and Last-Modified for caches."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.page_cache import generation_bump
from modules.news.models import Article, ArticleStatus
from tests.accounts.factories import town_admin
from tests.helpers import host_of, image_upload, logged_in_client
from tests.modules.news.factories import ArticleFactory


def test_list_is_paginated_with_nested_objects(town_a, client_a, villages, feuerwehr, stored_media):
    # given
    with_image = ArticleFactory(
        title="Mit Bild",
        organisation=feuerwehr,
        ortsgemeinden=[villages["x"]],
        image=image_upload(),
        image_alt="Ein Feuerwehrauto",
    )
    stored_media.append(with_image.image.path)
    for number in range(21):
        ArticleFactory(title=f"Meldung {number}")
    ArticleFactory(title="Entwurf", publish=False)

    # when
    first = client_a.get("/api/v1/news/articles/").json()
    second = client_a.get("/api/v1/news/articles/?page=2").json()

    # then
    assert first["count"] == 22 and len(first["results"]) == 20 and len(second["results"]) == 2
    titles = [a["title"] for a in first["results"] + second["results"]]
    assert "Entwurf" not in titles
    item = next(a for a in first["results"] + second["results"] if a["title"] == "Mit Bild")
    assert item["organisation"] == {"name": "Freiwillige Feuerwehr Altdorf", "slug": "ff-altdorf"}
    assert item["ortsgemeinden"] == [{"name": "Xanten-Au", "slug": "xanten-au"}]
    assert item["official"] is False
    assert item["url"] == f"http://{host_of(town_a)}/news/mit-bild/"
    assert item["image"]["url"].startswith(f"http://{host_of(town_a)}/media/")
    assert item["image"]["alt"] == "Ein Feuerwehrauto"


def test_list_filters_by_ortsgemeinde(client_a, villages):
    ArticleFactory(title="Kirmes in Xanten-Au", ortsgemeinden=[villages["x"]])
    ArticleFactory(title="Dorfputz in Ypsdorf", ortsgemeinden=[villages["y"]])
    ArticleFactory(title="Rathaus geschlossen")
    data = client_a.get("/api/v1/news/articles/?ortsgemeinde=ypsdorf").json()
    assert sorted(a["title"] for a in data["results"]) == ["Dorfputz in Ypsdorf", "Rathaus geschlossen"]
    bad = client_a.get("/api/v1/news/articles/?ortsgemeinde=gibtsnicht")
    assert bad.status_code == 400 and "ortsgemeinde" in bad.json()


def test_detail_and_404_for_drafts(client_a, in_town_a):
    article = ArticleFactory(title="Öffentlich", teaser="Kurz")
    draft = ArticleFactory(title="Geheim", publish=False)
    data = client_a.get(f"/api/v1/news/articles/{article.slug}/").json()
    assert data["title"] == "Öffentlich" and data["teaser"] == "Kurz" and data["category"] is None
    assert client_a.get(f"/api/v1/news/articles/{draft.slug}/").status_code == 404


def test_list_etag_gives_304_until_something_changes(client_a, in_town_a):
    # given
    article = ArticleFactory(title="Erste Meldung")
    first = client_a.get("/api/v1/news/articles/")
    etag = first["ETag"]
    assert etag

    # then: unchanged -> 304
    assert client_a.get("/api/v1/news/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # other query parameters -> another ETag
    assert client_a.get("/api/v1/news/articles/?page_size=5")["ETag"] != etag
    # a new article, an edit, or a scheduled article coming due -> 200 with a new ETag
    scheduled = ArticleFactory(title="Später", publish_at=timezone.now() + timedelta(hours=1))
    assert client_a.get("/api/v1/news/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    generation_bump("news")  # update() sends no signal: the writer (here: the clock) says so itself
    after_due = client_a.get("/api/v1/news/articles/", HTTP_IF_NONE_MATCH=etag)
    assert after_due.status_code == 200 and after_due["ETag"] != etag
    Article.objects.filter(pk=article.pk).update(title="Geändert", updated_at=timezone.now() + timedelta(seconds=1))
    generation_bump("news")
    assert client_a.get("/api/v1/news/articles/", HTTP_IF_NONE_MATCH=after_due["ETag"]).status_code == 200


def test_detail_sends_etag_and_last_modified(client_a, in_town_a):
    article = ArticleFactory(title="Meldung")
    response = client_a.get(f"/api/v1/news/articles/{article.slug}/")
    assert response["ETag"] and response["Last-Modified"]
    assert client_a.get(
        f"/api/v1/news/articles/{article.slug}/", HTTP_IF_NONE_MATCH=response["ETag"]
    ).status_code == 304
    assert client_a.get(
        f"/api/v1/news/articles/{article.slug}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    ).status_code == 304


def test_editor_creates_updates_schedules_and_publishes(town_a, fire_editor, feuerwehr, villages):
    client = logged_in_client(town_a, fire_editor)

    # create
    created = client.post("/api/v1/news/articles/create/", {
        "title": "Übung", "body": "<p>Ok</p><img src=x onerror=alert(1)>", "organisation": "ff-altdorf",
        "ortsgemeinden": ["xanten-au"], "category": "feuerwehr",
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["body"] == "<p>Ok</p>"
    assert data["category"]["slug"] == "feuerwehr" and data["ortsgemeinden"][0]["slug"] == "xanten-au"
    slug = data["slug"]

    # update a single field; the others stay
    updated = client.post(f"/api/v1/news/articles/{slug}/update/", {"teaser": "Neu"}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["teaser"] == "Neu"
    assert updated.json()["ortsgemeinden"] == [{"name": "Xanten-Au", "slug": "xanten-au"}]

    # schedule, then publish now
    later = (timezone.now() + timedelta(days=1)).isoformat()
    scheduled = client.post(f"/api/v1/news/articles/{slug}/publish/", {"publish_at": later},
                            content_type="application/json")
    assert scheduled.json()["status"] == "scheduled"
    published = client.post(f"/api/v1/news/articles/{slug}/publish/", {}, content_type="application/json")
    assert published.json()["status"] == "published"
    assert client.get(f"/api/v1/news/articles/{slug}/").status_code == 200

    # unpublish
    assert client.post(f"/api/v1/news/articles/{slug}/unpublish/").json()["status"] == "draft"
    assert Article.objects.get(slug=slug).status == ArticleStatus.DRAFT


def test_bad_write_input_is_400_and_changes_nothing(admin_client_a, in_town_a):
    response = admin_client_a.post("/api/v1/news/articles/create/", {"title": ""}, content_type="application/json")
    assert response.status_code == 400 and "title" in response.json()
    response = admin_client_a.post(
        "/api/v1/news/articles/create/", {"title": "X", "category": "gibtsnicht"}, content_type="application/json"
    )
    assert response.status_code == 400 and "category" in response.json()
    assert not Article.objects.exists()


def test_anonymous_and_residents_cannot_write(town_a, client_a, in_town_a):
    from tests.accounts.factories import UserFactory

    article = ArticleFactory(title="Meldung", publish=False)
    resident = logged_in_client(town_a, UserFactory(email="leser@example.org"))
    assert client_a.post("/api/v1/news/articles/create/", {"title": "x"}).status_code in (401, 403)
    assert resident.post("/api/v1/news/articles/create/", {"title": "x"}).status_code == 403
    assert resident.post(f"/api/v1/news/articles/{article.slug}/publish/").status_code == 403
    assert not Article.objects.get(pk=article.pk).is_visible
    assert Article.objects.count() == 1


def test_official_news_via_api_needs_a_town_admin(town_a, fire_editor, in_town_a):
    response = logged_in_client(town_a, fire_editor).post(
        "/api/v1/news/articles/create/", {"title": "Amtlich"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = logged_in_client(town_a, town_admin()).post(
        "/api/v1/news/articles/create/", {"title": "Amtlich"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["official"] is True


def test_schema_documents_the_news_endpoints(client_a):
    paths = client_a.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/news/articles/" in paths and "/api/v1/news/articles/{slug}/publish/" in paths
    listed = paths["/api/v1/news/articles/"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"ortsgemeinde", "search", "page"}
