from django.urls import path
from django.views.decorators.http import condition

from modules.news import apis

urlpatterns = [
    path("articles/", condition(etag_func=apis.list_etag)(apis.ArticleListApi.as_view()), name="article-list"),
    path("articles/create/", apis.ArticleCreateApi.as_view(), name="article-create"),
    path(
        "articles/<slug:slug>/",
        condition(etag_func=apis.detail_etag, last_modified_func=apis.detail_last_modified)(
            apis.ArticleDetailApi.as_view()
        ),
        name="article-detail",
    ),
    path("articles/<slug:slug>/update/", apis.ArticleUpdateApi.as_view(), name="article-update"),
    path("articles/<slug:slug>/publish/", apis.ArticlePublishApi.as_view(), name="article-publish"),
    path("articles/<slug:slug>/unpublish/", apis.ArticleUnpublishApi.as_view(), name="article-unpublish"),
]
