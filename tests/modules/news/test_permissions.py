"""Who may write: town admins for the town and every organisation, editors only for their own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from modules.news import services
from modules.news.models import Article
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import logged_in_client
from tests.modules.news.factories import ArticleFactory


def test_editor_writes_for_their_own_organisation(fire_editor, feuerwehr):
    article = services.article_create(acting_user=fire_editor, title="Übung am Samstag", organisation=feuerwehr)
    services.article_publish(article=article, acting_user=fire_editor)
    assert Article.objects.get(pk=article.pk).is_visible


def test_editor_cannot_write_official_news_or_for_other_organisations(fire_editor, sportverein):
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=fire_editor, title="Amtlich", organisation=None)
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=fire_editor, title="Fremd", organisation=sportverein)
    assert not Article.objects.filter(title__in=["Amtlich", "Fremd"]).exists()


def test_editor_cannot_publish_or_move_someone_elses_article(fire_editor, feuerwehr, sportverein):
    # given
    club_news = ArticleFactory(title="Vereinsfest", organisation=sportverein, publish=False)
    own = services.article_create(acting_user=fire_editor, title="Eigene", organisation=feuerwehr)

    # then
    with pytest.raises(PermissionDenied):
        services.article_publish(article=club_news, acting_user=fire_editor)
    with pytest.raises(PermissionDenied):
        services.article_update(article=own, acting_user=fire_editor, data={"organisation": sportverein})
    with pytest.raises(PermissionDenied):
        services.article_delete(article=club_news, acting_user=fire_editor)
    assert Article.objects.get(pk=own.pk).organisation == feuerwehr
    assert not Article.objects.get(pk=club_news.pk).is_visible


def test_residents_cannot_write(in_town_a):
    resident = UserFactory(email="bewohner@example.org")
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=resident, title="Hallo")


def test_town_admin_writes_for_anyone(sportverein):
    article = services.article_create(acting_user=town_admin(), title="Für den Verein", organisation=sportverein)
    assert article.organisation == sportverein


def test_editor_page_offers_only_own_organisations(town_a, fire_editor, sportverein):
    client = logged_in_client(town_a, fire_editor)
    page = client.get("/news/manage/new/").content.decode()
    assert "Freiwillige Feuerwehr Altdorf" in page
    assert "SV Altdorf 1920" not in page
    assert "Amtliche Nachricht der Gemeinde" not in page


def test_editor_posting_for_a_foreign_organisation_is_refused(town_a, fire_editor, sportverein):
    # when
    client = logged_in_client(town_a, fire_editor)
    response = client.post("/news/manage/new/", {"title": "Fremd", "organisation": sportverein.pk})

    # then: the form says no, and nothing is stored
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "gültige Auswahl" in response.content.decode()
    assert not Article.objects.filter(title="Fremd").exists()


def test_editor_gets_403_on_foreign_articles(town_a, fire_editor, sportverein):
    club_news = ArticleFactory(title="Vereinsfest", organisation=sportverein, publish=False)
    client = logged_in_client(town_a, fire_editor)
    assert client.get(f"/news/manage/{club_news.slug}/edit/").status_code == 403
    assert client.post(f"/news/manage/{club_news.slug}/publish/").status_code == 403
    assert client.post(f"/news/manage/{club_news.slug}/delete/").status_code == 403
    assert not Article.objects.get(pk=club_news.pk).is_visible


def test_api_refuses_publishing_for_foreign_organisations(town_a, fire_editor, sportverein):
    client = logged_in_client(town_a, fire_editor)
    response = client.post(
        "/api/v1/news/articles/create/", {"title": "Fremd", "organisation": sportverein.slug},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Article.objects.filter(title="Fremd").exists()


def test_residents_and_visitors_get_no_back_office(in_town_a, town_a, client_a):
    resident = UserFactory(email="leser@example.org")
    assert logged_in_client(town_a, resident).get("/news/manage/").status_code == 403
    response = client_a.get("/news/manage/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
