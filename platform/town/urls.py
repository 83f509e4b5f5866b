from django.urls import path

from town import views

app_name = "town"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("icon-<int:size>.png", views.icon, name="icon"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("backoffice/", views.backoffice, name="backoffice"),
]
