from django.urls import path
from django.views.decorators.http import require_safe

from core.taxonomy.views import taxonomy_urls
from modules.news import views
from modules.news.feeds import NewsAtomFeed, NewsRssFeed
from modules.news.services import CATEGORIES

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="article-list"),
    # Feeds are read-only: anything but GET/HEAD is 405.
    path("feed/rss/", require_safe(NewsRssFeed()), name="feed-rss"),
    path("feed/atom/", require_safe(NewsAtomFeed()), name="feed-atom"),
    path("feed/<slug:ortsgemeinde>/rss/", require_safe(NewsRssFeed()), name="feed-ortsgemeinde-rss"),
    path("feed/<slug:ortsgemeinde>/atom/", require_safe(NewsAtomFeed()), name="feed-ortsgemeinde-atom"),
    path("manage/", views.article_manage, name="article-manage"),
    path("manage/new/", views.article_create, name="article-create"),
    *taxonomy_urls(CATEGORIES),
    path("manage/<slug:slug>/edit/", views.article_edit, name="article-edit"),
    path("manage/<slug:slug>/publish/", views.article_publish, name="article-publish"),
    path("manage/<slug:slug>/unpublish/", views.article_unpublish, name="article-unpublish"),
    path("manage/<slug:slug>/delete/", views.article_delete, name="article-delete"),
    path("manage/<slug:slug>/aushang.pdf", views.article_notice, name="article-notice"),
    # Last: article slugs never take a reserved word (services.RESERVED_SLUGS).
    path("<slug:slug>/", views.article_detail, name="article-detail"),
]
