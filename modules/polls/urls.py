from django.urls import path

from modules.polls import views

app_name = "polls"
urlpatterns = [
    path("", views.poll_list, name="poll-list"),
    path("<str:key>/", views.poll_detail, name="poll-detail"),
    path("<str:key>/results/", views.poll_results, name="poll-results"),
    path("manage/polls/", views.poll_manage, name="poll-manage"),
    path("manage/polls/new/", views.poll_create, name="poll-create"),
    path("manage/polls/<int:pk>/", views.poll_edit, name="poll-edit"),
    path("manage/polls/<int:pk>/publish/", views.poll_publish, name="poll-publish"),
    path("manage/polls/<int:pk>/close/", views.poll_close, name="poll-close"),
    path("manage/polls/<int:pk>/delete/", views.poll_delete, name="poll-delete"),
    path("manage/polls/<int:pk>/results/", views.poll_manage_results, name="poll-manage-results"),
    path("manage/polls/<int:pk>/results.csv", views.poll_results_csv, name="poll-results-csv"),
]
