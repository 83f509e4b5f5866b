"""The demo's Mitteilungsblatt: this week's issue, published, with the town hall's note; loaded once."""

from __future__ import annotations

import pytest

from modules.bulletin import demo
from modules.bulletin.models import Issue
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_this_weeks_issue_with_the_news_in_it(in_town_a, client_a):
    ArticleFactory(title="Neuer Bürgerbus ab Montag")
    assert demo.load() == 1
    assert demo.load() == 0  # idempotent

    issue = Issue.objects.get()
    page = client_a.get(issue.get_absolute_url()).content.decode()
    assert "Neuer Bürgerbus ab Montag" in page and "Brückentag" in page
    assert client_a.get(f"{issue.get_absolute_url()}pdf/")["Content-Type"] == "application/pdf"
