"""Shared links show a preview (Open Graph / Twitter card): the page's title, text and image, with
addresses on the town's own domain."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from tests.helpers import host_of
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_a_shared_article_shows_its_title_and_teaser_and_links_to_the_town(town_a, client_a):
    with schema_context(town_a.schema_name):
        article = ArticleFactory(title="Kirmes in Elkenroth", teaser="Drei Tage Fest am Dorfplatz.")

    html = client_a.get(article.get_absolute_url()).content.decode()

    assert _meta(html, "og:title") == "Kirmes in Elkenroth"
    assert _meta(html, "og:description") == "Drei Tage Fest am Dorfplatz."
    assert _meta(html, "og:type") == "article"
    assert _meta(html, "og:url") == f"http://{host_of(town_a)}{article.get_absolute_url()}"
    assert _meta(html, "og:image", ).startswith(f"http://{host_of(town_a)}/")
    assert _meta(html, "twitter:card") == "summary"


def test_every_town_page_names_the_town_for_a_preview(town_a, client_a):
    html = client_a.get("/").content.decode()
    assert _meta(html, "og:site_name") == town_a.name
    assert _meta(html, "og:image") == f"http://{host_of(town_a)}/icon-512.png"


def test_the_preview_address_comes_from_the_town_not_from_the_host_header(town_a, client_a):
    # A forged Host on the same town (an alias the proxy let through) must not end up in previews.
    html = client_a.get("/", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    assert "evil.example" not in html
