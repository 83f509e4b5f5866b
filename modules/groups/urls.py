from django.urls import path

from modules.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="group-list"),
    path("new/", views.group_create, name="group-create"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
    path("<slug:slug>/edit/", views.group_edit, name="group-edit"),
    path("<slug:slug>/delete/", views.group_delete, name="group-delete"),
    path("<slug:slug>/join/", views.group_join, name="group-join"),
    path("<slug:slug>/leave/", views.group_leave, name="group-leave"),
    path("<slug:slug>/notifications/", views.group_notify, name="group-notify"),
    path("<slug:slug>/members/", views.member_list, name="member-list"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member-role"),
    path("<slug:slug>/requests/", views.request_list, name="request-list"),
    path("<slug:slug>/requests/<int:request_id>/decide/", views.request_decide, name="request-decide"),
    path("<slug:slug>/posts/new/", views.post_create, name="post-create"),
    path("<slug:slug>/posts/<int:post_id>/", views.post_detail, name="post-detail"),
    path("<slug:slug>/posts/<int:post_id>/edit/", views.post_edit, name="post-edit"),
    path("<slug:slug>/posts/<int:post_id>/delete/", views.post_delete, name="post-delete"),
    path("<slug:slug>/posts/<int:post_id>/comments/", views.comment_create, name="comment-create"),
    path("<slug:slug>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("<slug:slug>/comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
]
