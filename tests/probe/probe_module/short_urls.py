from django.urls import path

from tests.probe.probe_module import views

app_name = "probe-short"

urlpatterns = [path("<int:pk>/", views.note_short_link, name="note")]
