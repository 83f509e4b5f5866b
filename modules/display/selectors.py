"""Reads of the Schaukasten: a screen by its key, the back office's list, and what a screen shows now."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.branding import town_profile
from core.calendar import TOWN_TZ
from core.calendar_views import entries_on
from core.capabilities import call, provided
from core.modules import module_settings
from modules.display.capabilities import NEWS, WARNINGS, ScreenContent, ScreenItem
from modules.display.models import Screen

MODULE_KEY = "display"
TEXT_MAX_CHARS = 400  # a passer-by reads a few sentences; the rest is on the website
TODAY_MAX = 12  # more would not fit in large type; the screen says how many more there are


def screen_by_key(key: str) -> Screen | None:
    """The screen registered with `key` in the current town, signed off or not (one query)."""
    from modules.display.services import key_digest

    if not key or len(key) > 100:
        return None
    return Screen.objects.select_related("ortsgemeinde").filter(key_digest=key_digest(key)).first()


def screen_list() -> QuerySet[Screen]:
    return Screen.objects.select_related("ortsgemeinde").order_by("revoked_at", "name", "id")


def screen_get(*, pk: int) -> Screen | None:
    return Screen.objects.select_related("ortsgemeinde").filter(pk=pk).first()


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_MAX_CHARS else text[: TEXT_MAX_CHARS - 1].rstrip() + "…"


def _item(item: ScreenItem) -> dict[str, Any]:
    return {"title": item.title, "text": _short(item.text), "label": item.label, "priority": item.priority}


def _time_of(entry: Any) -> str:
    if entry.all_day or not entry.first_day:
        return _("all day")
    return entry.start.strftime("%H:%M")


def screen_state(screen: Screen, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything the screen shows, as JSON-ready data: a fixed number of queries whatever the content.

    Warnings first by urgency, today's dates from every calendar source, the newest news; each provider
    filters to the screen's Ortsgemeinde and the town-wide items.
    """
    now = now or timezone.now()
    settings = module_settings(MODULE_KEY)
    place_id = screen.ortsgemeinde_id
    items: list[ScreenItem] = []
    for source in sorted(provided(ScreenContent), key=lambda s: s.order):
        items.extend(call(source.items, place_id, settings["news_count"]))
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    warnings = sorted((i for i in items if i.section == WARNINGS),
                      key=lambda i: (i.priority, -(i.published_at or oldest).timestamp()))
    news = sorted((i for i in items if i.section == NEWS), key=lambda i: i.published_at or oldest,
                  reverse=True)[: settings["news_count"]]
    local = timezone.localtime(now, TOWN_TZ)
    today = entries_on(local.date(), ortsgemeinde_id=place_id)
    town = town_profile()
    return {
        "status": "ok",
        "town": town.name,
        "place": screen.ortsgemeinde.name if screen.ortsgemeinde_id else "",
        "date": formats.date_format(local.date(), "l, j. F Y"),
        # When this state was made, in the town's time: the screen shows it, and keeps it when the network fails.
        "stand": local.strftime("%H:%M"),
        "stand_iso": local.isoformat(),
        "banner": [_item(i) for i in warnings if i.banner],
        "warnings": [_item(i) for i in warnings if not i.banner],
        "today": [{"time": _time_of(e), "title": e.title, "place": e.location, "kind": e.source_label,
                   "cancelled": e.cancelled} for e in today[:TODAY_MAX]],
        "today_more": max(0, len(today) - TODAY_MAX),
        "news": [_item(i) for i in news],
        "refresh_seconds": settings["refresh_seconds"],
        "rotate_seconds": settings["rotate_seconds"],
    }
