"""RSS 2.0 and Atom 1.0 feeds of the town's newly published events (links on the town's own domain)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.branding import town_url
from core.calendar import TOWN_TZ
from modules.events.models import Event
from modules.events.selectors import visible_q
from town.selectors import town_profile_get

FEED_SIZE = 30


class _EventsFeed(Feed):
    kind = "rss"

    def title(self) -> str:
        return _("Events in %(town)s") % {"town": town_profile_get().name}

    def description(self) -> str:
        return _("New events of the town and its clubs.")

    subtitle = description

    def link(self) -> str:
        return town_url(reverse("events:event-list"))

    def feed_url(self) -> str:
        return town_url(reverse(f"events:feed-{self.kind}"))

    def items(self) -> list[Event]:
        events = list(Event.objects.filter(visible_q()).select_related("organisation", "venue")
                      .order_by("-published_at", "-id")[:FEED_SIZE])
        origin = town_url("")  # one domain lookup per feed
        for event in events:
            event.feed_link = origin + event.get_absolute_url()  # type: ignore[attr-defined]
        return events

    def item_title(self, item: Event) -> str:
        when = timezone.localtime(item.starts_at, TOWN_TZ).strftime("%d.%m.%Y")
        return f"{when}: {item.title}"

    def item_description(self, item: Event) -> str:
        return item.description

    def item_link(self, item: Event) -> str:
        return item.feed_link  # type: ignore[attr-defined]

    def item_guid(self, item: Event) -> str:
        return item.feed_link  # type: ignore[attr-defined]

    def item_pubdate(self, item: Event) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Event) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Event) -> str:
        return item.organisation.name if item.organisation_id else town_profile_get().name


class EventsRssFeed(_EventsFeed):
    feed_type = Rss201rev2Feed
    kind = "rss"


class EventsAtomFeed(_EventsFeed):
    feed_type = Atom1Feed
    kind = "atom"
