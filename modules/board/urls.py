from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.board import views
from modules.board.services import TOPICS

app_name = "board"
urlpatterns = [
    path("", views.post_list, name="post-list"),
    # The detail page first among the routes with parameters (the isolation suite looks for it there).
    path("<int:pk>/", views.post_detail, name="post-detail"),
    path("<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("<int:pk>/react/", views.post_react, name="post-react"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("new/", views.post_create, name="post-create"),
    *taxonomy_urls(TOPICS),
]
