"""The start page's home feed merges what the enabled modules contribute, newest first.

The modules' own tests check what each source picks for a resident (their
Ortsgemeinde, their groups) and its query budget; these tests check the merge:
two sources interleave by time, the feed keeps its size, and a module that is
switched off in the town contributes nothing.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

import core.feed
import core.modules
from core.modules import FeedItem, FeedSource

NOW = timezone.now()


def _item(title: str, minutes_ago: int) -> FeedItem:
    return FeedItem(published_at=NOW - datetime.timedelta(minutes=minutes_ago), kind_label="Pinnwand",
                    title=title, summary=f"Text von {title}", url=f"/x/{minutes_ago}/", place="Elkenroth")


def _module(items: list[FeedItem]) -> SimpleNamespace:
    return SimpleNamespace(spec=SimpleNamespace(provides=(FeedSource(items=lambda request, limit: items[:limit]),)))


@pytest.fixture
def two_sources(monkeypatch, town_a):
    board = [_item("Katze entlaufen", 5), _item("Fahrrad gefunden", 50)]
    groups = [_item("Lauftreff am Montag", 20), _item("Probe fällt aus", 500)]
    monkeypatch.setattr(core.modules, "all_modules", lambda: {"board": _module(board), "groups": _module(groups)})
    return monkeypatch


def test_items_of_two_modules_interleave_newest_first(two_sources, client_a):
    two_sources.setattr(core.modules, "enabled_module_keys", lambda fresh=False: frozenset({"board", "groups"}))

    page = client_a.get("/").content.decode()

    titles = ["Katze entlaufen", "Lauftreff am Montag", "Fahrrad gefunden", "Probe fällt aus"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Elkenroth" in page


def test_the_feed_keeps_its_size(two_sources, rf, in_town_a):
    two_sources.setattr(core.modules, "enabled_module_keys", lambda fresh=False: frozenset({"board", "groups"}))

    feed = core.feed.home_feed(rf.get("/"), limit=3)

    assert [item.title for item in feed] == ["Katze entlaufen", "Lauftreff am Montag", "Fahrrad gefunden"]


def test_a_module_switched_off_contributes_nothing(two_sources, client_a):
    two_sources.setattr(core.modules, "enabled_module_keys", lambda fresh=False: frozenset({"groups"}))

    page = client_a.get("/").content.decode()

    assert "Lauftreff am Montag" in page
    assert "Katze entlaufen" not in page


def test_without_items_the_start_page_shows_no_empty_feed(monkeypatch, client_a):
    monkeypatch.setattr(core.modules, "all_modules", lambda: {"board": _module([])})

    page = client_a.get("/").content.decode()

    assert 'id="home-feed-heading"' not in page
