from django.urls import path
from django.views.decorators.http import condition

from modules.directory import apis

urlpatterns = [
    path("businesses/", condition(etag_func=apis.list_etag)(apis.BusinessListApi.as_view()), name="business-list"),
    path(
        "businesses/<slug:slug>/",
        condition(etag_func=apis.detail_etag)(apis.BusinessDetailApi.as_view()),
        name="business-detail",
    ),
]
