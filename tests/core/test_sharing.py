"""Teilen: a news post's and an event's page carry one clean share text (title, short text, link) in the
WhatsApp, Telegram and e-mail links, and a link preview (Open Graph) with the same title."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from core.sharing import share_text
from tests.helpers import host_of
from tests.modules.events.factories import EventFactory, in_days
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def shared_texts(html: str) -> dict[str, str]:
    """The text each share link of the page would hand to the messenger."""
    links = {name: unescape(href) for href, name in re.findall(r'href="([^"]+)"[^>]*>(WhatsApp|Telegram)', html)}
    whatsapp = parse_qs(urlsplit(links["WhatsApp"]).query)["text"][0]
    telegram = parse_qs(urlsplit(links["Telegram"]).query)
    mail = unescape(re.search(r'href="(mailto:[^"]+)"', html).group(1))
    return {"whatsapp": whatsapp, "telegram_url": telegram["url"][0], "telegram_text": telegram["text"][0],
            "mail_body": parse_qs(urlsplit(mail).query)["body"][0]}


def test_the_share_text_is_title_short_plain_text_and_link():
    text = share_text(title="Kirmes in Elkenroth", text="<p>Drei Tage <b>Fest</b> &amp; Musik.</p>" + " Wort" * 80,
                      url="https://altdorf.example/news/kirmes/")

    title, summary, link = text.split("\n\n")
    assert title == "Kirmes in Elkenroth" and link == "https://altdorf.example/news/kirmes/"
    assert summary.startswith("Drei Tage Fest & Musik. Wort") and summary.endswith("Wort…")
    assert len(summary) <= 200 and "<" not in summary


def test_a_news_post_is_shared_with_its_title_teaser_and_address(town_a, client_a):
    with schema_context(town_a.schema_name):
        article = ArticleFactory(title="Kirmes in Elkenroth", teaser="Drei Tage Fest am Dorfplatz.")
    url = f"http://{host_of(town_a)}{article.get_absolute_url()}"

    html = client_a.get(article.get_absolute_url()).content.decode()

    expected = f"Kirmes in Elkenroth\n\nDrei Tage Fest am Dorfplatz.\n\n{url}"
    texts = shared_texts(html)
    assert texts["whatsapp"] == expected and texts["mail_body"] == expected
    assert texts["telegram_url"] == url
    assert texts["telegram_text"] == "Kirmes in Elkenroth\n\nDrei Tage Fest am Dorfplatz."
    assert _meta(html, "og:title") == "Kirmes in Elkenroth" and _meta(html, "og:url") == url
    assert 'src="/static/core/share.js"' in html  # the share sheet (Signal) and the copy button


def test_an_event_is_shared_with_its_date_in_the_preview(town_a, client_a):
    with schema_context(town_a.schema_name):
        event = EventFactory(title="Seniorennachmittag", description="<p>Mit Kaffee und Kuchen im Bürgerhaus.</p>",
                             starts_at=in_days(3, 15), ends_at=in_days(3, 18))
    url = f"http://{host_of(town_a)}{event.get_absolute_url()}"

    html = client_a.get(event.get_absolute_url()).content.decode()

    assert shared_texts(html)["whatsapp"] == f"Seniorennachmittag\n\nMit Kaffee und Kuchen im Bürgerhaus.\n\n{url}"
    assert _meta(html, "og:title") == "Seniorennachmittag" and _meta(html, "og:type") == "article"
    description = _meta(html, "og:description")
    assert "15:00" in description and description.endswith("Mit Kaffee und Kuchen im Bürgerhaus.")
    assert _meta(html, "og:url") == url
