"""The news module's public face: the ONLY thing other modules and platform code import.

Everything returned is a plain frozen dataclass, so callers never hold
(or write through) news model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from core.branding import town_url
from modules.bulletin.capabilities import BulletinCandidate
from modules.display.capabilities import NEWS, ScreenItem
from modules.news import selectors
from modules.news.models import Article
from modules.notifications.capabilities import Announcement
from town.capabilities import WeekPost


@dataclass(frozen=True)
class ArticleSummary:
    """One visible article, as shown in a teaser list of another page."""

    id: int
    slug: str
    title: str
    teaser: str
    url: str  # absolute, on the town's own domain
    published_at: datetime | None
    category: str  # category name, "" when none
    organisation_id: int | None  # None: official news of the town
    image_url: str  # absolute, "" when none
    image_alt: str


def _summaries(articles) -> list[ArticleSummary]:
    origin = town_url("")  # one domain lookup per call
    return [_summary(article, origin) for article in articles]


def _summary(article: Article, origin: str) -> ArticleSummary:
    return ArticleSummary(
        id=article.pk,
        slug=article.slug,
        title=article.title,
        teaser=article.teaser,
        url=origin + article.get_absolute_url(),
        published_at=article.publish_at,
        category=article.category.name if article.category_id else "",
        organisation_id=article.organisation_id,
        image_url=origin + article.image.url if article.image else "",
        image_alt=article.image_alt,
    )


def latest_articles(*, ortsgemeinde_id: int | None = None, limit: int = 5) -> list[ArticleSummary]:
    """The newest visible articles; with `ortsgemeinde_id`, only town-wide ones and that village's."""
    qs = selectors.article_list_visible(ortsgemeinde_id=ortsgemeinde_id, with_targets=False)
    return _summaries(qs[:limit])


def articles_for_organisation(organisation_id: int, limit: int = 5) -> list[ArticleSummary]:
    """The newest visible articles an organisation published (for its profile page)."""
    qs = selectors.article_list_visible(organisation_id=organisation_id, with_targets=False)
    return _summaries(qs[:limit])


def search_articles(query: str, limit: int = 10) -> list[ArticleSummary]:
    """Visible articles matching `query` (German stemming), best match first."""
    qs = selectors.article_list_visible(search=query, with_targets=False)
    return _summaries(qs[:limit])


def article_get(article_id: int) -> ArticleSummary | None:
    """One visible article by id (e.g. to notify people about it), or None when it isn't visible."""
    article = selectors.article_list_visible(with_targets=False).filter(pk=article_id).first()
    return _summary(article, town_url("")) if article is not None else None


def article_announcement(article_id: int) -> Announcement | None:
    """How a published article is announced: official news to one topic, organisations' news to the other."""
    article = article_get(article_id)
    if article is None:  # unpublished or deleted again before the worker got to it
        return None
    topic = "news.official" if article.organisation_id is None else "news.organisations"
    # An organisation's followers hear of it too (notifications' "follows" topic).
    return Announcement(title=article.title, body=article.teaser, url=article.url, topic=topic,
                        dedupe_key=f"news.article:{article.id}", organisation_id=article.organisation_id)


def screen_items(ortsgemeinde_id: int | None, limit: int) -> list[ScreenItem]:
    """The newest visible articles for a public screen (display.ScreenContent); one query."""
    from django.utils.html import strip_tags

    articles = selectors.article_list_visible(ortsgemeinde_id=ortsgemeinde_id, with_targets=False)[:limit]
    return [
        ScreenItem(section=NEWS, title=article.title, text=article.teaser or strip_tags(article.body),
                   label=article.organisation.name if article.organisation_id else _("From the town hall"),
                   priority=50, published_at=article.publish_at)
        for article in articles
    ]


def week_posts(organisation_id: int, start: datetime, end: datetime) -> list[WeekPost]:
    """The organisation's articles published between `start` and `end` (town.OrganisationWeekPosts); one query."""
    from django.utils.html import strip_tags

    articles = selectors.article_list_visible(organisation_id=organisation_id, with_targets=False).filter(
        publish_at__gte=start, publish_at__lt=end)
    return [WeekPost(when=article.publish_at, title=article.title, text=article.teaser or strip_tags(article.body),
                     path=article.get_absolute_url(), coming=False) for article in articles]
def bulletin_items(start: datetime, end: datetime) -> list[BulletinCandidate]:
    """Articles that appeared between `start` and `end`, for the town's Mitteilungsblatt (two queries).

    An article for one Ortsgemeinde goes into its section; one for several or all villages into the
    town-wide part.
    """
    from django.utils.html import strip_tags
    from django.utils.translation import gettext as _

    articles = selectors.article_list_visible(with_targets=True).filter(publish_at__gte=start, publish_at__lt=end)
    found = []
    for article in articles.order_by("publish_at", "pk"):
        places = list(article.ortsgemeinden.all())
        kind = article.organisation.name if article.organisation_id else _("News from the town hall")
        found.append(BulletinCandidate(
            uid=str(article.pk), title=article.title,
            text=article.teaser or " ".join(strip_tags(article.body).split()),
            path=article.get_absolute_url(), date=article.publish_at,
            ortsgemeinde_id=places[0].pk if len(places) == 1 else None, kind_label=kind))
    return found
