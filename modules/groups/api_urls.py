from django.urls import path

from modules.groups import apis

urlpatterns = [
    path("groups/", apis.GroupListApi.as_view(), name="group-list"),
    path("groups/<slug:slug>/", apis.GroupDetailApi.as_view(), name="group-detail"),
    path("groups/<slug:slug>/posts/", apis.GroupPostListApi.as_view(), name="post-list"),
    path("groups/<slug:slug>/posts/create/", apis.GroupPostCreateApi.as_view(), name="post-create"),
]
