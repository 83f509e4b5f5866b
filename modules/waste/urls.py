from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.waste import views
from modules.waste.services import WASTE_TYPES

app_name = "waste"
urlpatterns = [
    path("", views.index, name="index"),
    path("mein-ort/", views.home_save, name="home-save"),
    path("erinnerung/", views.reminder_save, name="reminder-save"),
    path("bereich/<slug:slug>/", views.area_detail, name="area"),
    path("bereich/<slug:slug>/abfall.ics", views.feed, name="feed"),
    path("bereich/<slug:slug>/<slug:waste_type>/abfall.ics", views.feed, name="feed-type"),
    path("bereich/<slug:slug>/druck/<int:year>/", views.year_print, name="print"),
    path("manage/", views.manage, name="manage"),
    *taxonomy_urls(WASTE_TYPES),
    path("manage/areas/new/", views.area_create, name="area-create"),
    path("manage/areas/<int:area_id>/", views.area_edit, name="area-edit"),
    path("manage/import/", views.import_upload, name="import"),
    path("manage/rule/", views.rule_create, name="rule"),
    path("manage/import/<int:import_id>/", views.import_preview, name="import-preview"),
    path("manage/pickups/<int:pickup_id>/", views.pickup_edit, name="pickup-edit"),
]
