"""Aushang: one A4 notice of a news article or an event, with its title and a QR code to its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.branding import town_url
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.bulletin.helpers import flat, pdf_pages
from tests.modules.events.factories import EventFactory
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_editor_prints_an_aushang_of_an_event_with_title_date_and_a_qr_code_to_its_page(
        in_town_a, admin_client_a):
    event = EventFactory(title="Großer Dorfflohmarkt", description="<p>Stände rund um die Kirche.</p>")
    detail = admin_client_a.get(event.get_absolute_url()).content.decode()
    assert reverse("events:event-notice", args=[event.slug]) in detail

    response = admin_client_a.get(reverse("events:event-notice", args=[event.slug]))

    assert response["Content-Type"] == "application/pdf"
    [(text, codes)] = pdf_pages(response.content)
    assert "Großer Dorfflohmarkt" in flat(text) and "Stände rund um die Kirche." in flat(text)
    assert codes == [town_url(event.get_absolute_url())]


def test_an_aushang_of_a_news_article_and_residents_cannot_print_one(town_a, in_town_a, admin_client_a):
    article = ArticleFactory(title="Wasser wird abgestellt", teaser="Am Dienstag von 8 bis 12 Uhr.")
    [(text, codes)] = pdf_pages(admin_client_a.get(reverse("news:article-notice", args=[article.slug])).content)
    assert "Wasser wird abgestellt" in flat(text) and codes == [town_url(article.get_absolute_url())]
    resident = logged_in_client(town_a, UserFactory(email="bewohner@example.org"))
    assert resident.get(reverse("news:article-notice", args=[article.slug])).status_code == 403
    assert "aushang.pdf" not in resident.get(article.get_absolute_url()).content.decode()
