"""Formatted text: news and event forms offer the editor (core/richtext.js) on top of a textarea that works alone."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.forms import RichTextarea

pytestmark = pytest.mark.django_db


def test_without_javascript_the_stored_html_is_an_ordinary_textarea_value():
    with translation.override("de"):
        html = RichTextarea().render("body", "<p>Grillfest <strong>am Samstag</strong></p>")

    assert html.startswith("<textarea") and "data-richtext" in html
    assert "&lt;p&gt;Grillfest &lt;strong&gt;am Samstag&lt;/strong&gt;&lt;/p&gt;" in html  # escaped, never markup
    assert 'data-label-bold="Fett"' in html and 'data-label-olist="Nummerierte Liste"' in html


@pytest.mark.parametrize("path", ["/news/manage/new/", "/events/manage/new/"])
def test_news_and_event_forms_load_the_editor_from_the_towns_own_server(admin_client_a, path):
    page = admin_client_a.get(path).content.decode()

    assert re.search(r"<textarea[^>]+data-richtext", page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert any(src.endswith("core/vendor/pell/pell.min.js") for src in scripts)
    assert any(src.endswith("core/richtext.js") for src in scripts)
    assert all(src.startswith("/") for src in scripts)  # no CDN
