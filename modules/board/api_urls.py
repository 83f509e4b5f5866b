from django.urls import path

from modules.board import apis

urlpatterns = [
    path("topics/", apis.TopicListApi.as_view(), name="topic-list"),
    path("posts/", apis.PostListApi.as_view(), name="post-list"),
    path("posts/create/", apis.PostCreateApi.as_view(), name="post-create"),
    path("posts/<int:pk>/", apis.PostDetailApi.as_view(), name="post-detail"),
    path("posts/<int:pk>/comments/", apis.CommentCreateApi.as_view(), name="comment-create"),
]
