"""RSS 2.0 and Atom 1.0 feeds of a town's news, whole town or one Ortsgemeinde.

Every link is built from the town's own domain row (core.branding.town_url),
never from the request's Host header.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.branding import town_url
from modules.news import selectors
from modules.news.models import Article
from town.models import Ortsgemeinde
from town.selectors import town_profile_get

FEED_SIZE = 30


class _NewsFeed(Feed):
    kind = "rss"

    def get_object(self, request: HttpRequest, ortsgemeinde: str | None = None) -> Ortsgemeinde | None:
        if ortsgemeinde is None:
            return None
        found = selectors.ortsgemeinde_get(slug=ortsgemeinde)
        if found is None:
            raise Http404
        return found

    def title(self, obj: Ortsgemeinde | None) -> str:
        town = town_profile_get().name
        if obj is None:
            return _("News from %(town)s") % {"town": town}
        return _("News from %(place)s (%(town)s)") % {"place": obj.name, "town": town}

    def description(self, obj: Ortsgemeinde | None) -> str:
        if obj is None:
            return _("Official news of the town and news of its clubs and organisations.")
        return _("News for %(place)s and the whole town.") % {"place": obj.name}

    subtitle = description  # Atom's name for it

    def link(self, obj: Ortsgemeinde | None) -> str:
        path = reverse("news:article-list")
        return town_url(f"{path}?ortsgemeinde={obj.slug}" if obj else path)

    def feed_url(self, obj: Ortsgemeinde | None) -> str:
        if obj is None:
            return town_url(reverse(f"news:feed-{self.kind}"))
        return town_url(reverse(f"news:feed-ortsgemeinde-{self.kind}", kwargs={"ortsgemeinde": obj.slug}))

    def author_name(self, obj: Ortsgemeinde | None) -> str:
        return town_profile_get().name

    def feed_guid(self, obj: Ortsgemeinde | None) -> str:
        return self.feed_url(obj)

    def items(self, obj: Ortsgemeinde | None) -> list[Article]:
        articles = list(
            selectors.article_list_visible(ortsgemeinde_id=obj.pk if obj else None, with_targets=False)[:FEED_SIZE]
        )
        # The town's address and name are looked up once per feed, not once per item.
        origin, town = town_url(""), town_profile_get().name
        for article in articles:
            article.feed_link = origin + article.get_absolute_url()
            article.feed_author = article.organisation.name if article.organisation_id else town
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.teaser or item.body

    def item_link(self, item: Article) -> str:
        return item.feed_link

    def item_guid(self, item: Article) -> str:
        return item.feed_link

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.feed_author

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name] if item.category_id else []


class NewsRssFeed(_NewsFeed):
    feed_type = Rss201rev2Feed
    kind = "rss"


class NewsAtomFeed(_NewsFeed):
    feed_type = Atom1Feed
    kind = "atom"
