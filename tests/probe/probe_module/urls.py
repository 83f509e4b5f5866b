from django.urls import path

from tests.probe.probe_module import views

app_name = "probe"

urlpatterns = [
    path("", views.note_list, name="note-list"),
    path("<int:pk>/", views.note_detail, name="note-detail"),
]
