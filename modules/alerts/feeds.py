"""RSS 2.0 and Atom 1.0 feeds of the town's current Bekanntmachungen (links from core.branding.town_url)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.branding import town_url
from modules.alerts.models import Notice
from modules.alerts.selectors import notice_list_current
from town.selectors import town_profile_get

FEED_SIZE = 50


class _NoticeFeed(Feed):
    kind = "rss"

    def get_object(self, request: HttpRequest) -> None:
        return None

    def title(self) -> str:
        return _("Official notices of %(town)s") % {"town": town_profile_get().name}

    def description(self) -> str:
        return _("Road closures, water supply, council meetings: the town's current official notices.")

    subtitle = description

    def link(self) -> str:
        return town_url(reverse("alerts:overview"))

    def feed_url(self) -> str:
        return town_url(reverse(f"alerts:feed-{self.kind}"))

    def feed_guid(self) -> str:
        return self.feed_url()

    def author_name(self) -> str:
        return town_profile_get().name

    def items(self) -> list[Notice]:
        notices = list(notice_list_current()[:FEED_SIZE])
        origin = town_url("")  # once per feed, not per item
        for notice in notices:
            notice.feed_link = origin + notice.get_absolute_url()  # type: ignore[attr-defined]
        return notices

    def item_title(self, item: Notice) -> str:
        return item.title

    def item_description(self, item: Notice) -> str:
        valid = _("Valid from %(start)s to %(end)s.") % {
            "start": item.valid_from.strftime("%d.%m.%Y"), "end": item.valid_until.strftime("%d.%m.%Y")}
        return f"{valid} {item.body}"

    def item_link(self, item: Notice) -> str:
        return item.feed_link  # type: ignore[attr-defined,no-any-return]

    def item_guid(self, item: Notice) -> str:
        return item.feed_link  # type: ignore[attr-defined,no-any-return]

    def item_pubdate(self, item: Notice) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Notice) -> datetime:
        return item.updated_at

    def item_categories(self, item: Notice) -> list[str]:
        return [str(item.get_kind_display())]


class NoticeRssFeed(_NoticeFeed):
    feed_type = Rss201rev2Feed
    kind = "rss"


class NoticeAtomFeed(_NoticeFeed):
    feed_type = Atom1Feed
    kind = "atom"
