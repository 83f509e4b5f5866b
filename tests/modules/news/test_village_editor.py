"""Issue 11 §4: an Ortsbürgermeister (editor of an Ortsgemeinde) publishes official news and urgent
notices for their own Ortsgemeinde only: never town-wide, never for another village."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from modules.alerts import services as alert_services
from modules.alerts.models import Notice
from modules.news import services
from modules.news.models import Article
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.modules.news.factories import ArticleFactory
from town.models import VillageEditor


@pytest.fixture
def mayor_x(villages) -> User:
    mayor = UserFactory(email="ortsbuergermeister@example.org")
    VillageEditor.objects.create(user=mayor, ortsgemeinde=villages["x"])
    return mayor


def test_mayor_publishes_official_news_for_their_village(mayor_x, villages):
    article = services.article_create(acting_user=mayor_x, title="Dorfputz am Samstag",
                                      ortsgemeinden=[villages["x"]])
    services.article_publish(article=article, acting_user=mayor_x)
    assert Article.objects.get(pk=article.pk).is_visible and article.is_official


@pytest.mark.parametrize("where", [[], ["y"], ["x", "y"]], ids=["town-wide", "other-village", "both"])
def test_mayor_cannot_publish_town_wide_or_for_another_village(mayor_x, villages, where):
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=mayor_x, title="Zu weit", ortsgemeinden=[villages[k] for k in where])
    assert not Article.objects.filter(title="Zu weit").exists()


def test_mayor_cannot_widen_or_touch_news_beyond_their_village(mayor_x, villages):
    own = services.article_create(acting_user=mayor_x, title="Eigene", ortsgemeinden=[villages["x"]])
    town_wide = ArticleFactory(title="Rathaus", organisation=None, publish=False)
    with pytest.raises(PermissionDenied):
        services.article_update(article=own, acting_user=mayor_x, data={"ortsgemeinden": []})
    with pytest.raises(PermissionDenied):
        services.article_publish(article=town_wide, acting_user=mayor_x)
    assert list(own.ortsgemeinden.all()) == [villages["x"]]


def test_mayor_form_says_why_and_lists_only_their_news(town_a, mayor_x, villages):
    client = logged_in_client(town_a, mayor_x)
    page = client.get(f"/news/manage/new/?ortsgemeinde={villages['x'].pk}&erster=1")
    assert page.status_code == 200 and page.context["form"].initial["ortsgemeinden"] == [villages["x"].pk]
    refused = client.post("/news/manage/new/", {"title": "Für alle", "organisation": "", "body": "Text"})
    assert refused.status_code == 200 and refused.context["form"].errors["ortsgemeinden"]
    assert not Article.objects.filter(title="Für alle").exists()
    client.post("/news/manage/new/", {"title": "Für Xanten-Au", "organisation": "", "body": "Text",
                                      "ortsgemeinden": [villages["x"].pk]})
    ArticleFactory(title="Rathaus amtlich", organisation=None, publish=False)
    listing = client.get("/news/manage/").content.decode()
    assert "Für Xanten-Au" in listing and "Rathaus amtlich" not in listing


def _notice(village) -> dict:
    today = timezone.localdate()
    return {"title": "Abkochgebot", "body": "Bitte Wasser abkochen.", "kind": "water", "valid_from": today,
            "valid_until": today + datetime.timedelta(days=1), "ortsgemeinde": village, "is_urgent": True}


def test_mayor_publishes_an_urgent_notice_for_their_village_only(mayor_x, villages):
    notice = alert_services.notice_create(acting_user=mayor_x, data=_notice(villages["x"]))
    assert notice.is_urgent and notice.ortsgemeinde == villages["x"]
    for elsewhere in (None, villages["y"]):
        with pytest.raises(PermissionDenied):
            alert_services.notice_create(acting_user=mayor_x, data=_notice(elsewhere))
    with pytest.raises(PermissionDenied):
        alert_services.notice_update(notice=notice, acting_user=mayor_x, data=_notice(None))
    assert Notice.objects.count() == 1 and Notice.objects.get().ortsgemeinde == villages["x"]


def test_mayor_notice_pages_offer_only_their_village(town_a, mayor_x, villages):
    client = logged_in_client(town_a, mayor_x)
    form = client.get("/alerts/manage/new/").context["form"]
    assert list(form.fields["ortsgemeinde"].queryset) == [villages["x"]]
    other = alert_services.notice_create(acting_user=admin_of(town_a),
                                         data=_notice(villages["y"]))
    assert client.get(f"/alerts/manage/{other.pk}/edit/").status_code == 403
    # an editor of a Verein gets no notice pages at all
    assert logged_in_client(town_a, UserFactory()).get("/alerts/manage/").status_code in (302, 403)


def _backoffice_menu(client) -> list[str]:
    page = client.get("/backoffice/").content.decode()
    menu = re.search(r'<nav class="backoffice-menu".*?</nav>', page, re.S)
    assert menu, "the back office shows its menu"
    return re.findall(r'href="([^"]+)"', menu.group(0))


def test_mayor_finds_writing_news_and_notices_in_the_back_office_menu(town_a, mayor_x, villages, fire_editor):
    client = logged_in_client(town_a, mayor_x)

    menu = _backoffice_menu(client)
    assert "/news/manage/" in menu and "/alerts/manage/" in menu
    for section, write in (("/news/manage/", "/news/manage/new/"), ("/alerts/manage/", "/alerts/manage/new/")):
        assert f'href="{write}"' in client.get(section).content.decode()
        assert client.get(write).status_code == 200

    # an editor of a Verein writes news but publishes no official notices: the menu doesn't offer them
    club_menu = _backoffice_menu(logged_in_client(town_a, fire_editor))
    assert "/news/manage/" in club_menu and "/alerts/manage/" not in club_menu
