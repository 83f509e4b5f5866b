from django.urls import path

from modules.errands import apis

urlpatterns = [
    path("requests/", apis.OpenErrandListApi.as_view(), name="request-list"),
]
