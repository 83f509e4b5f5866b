"""URLs of calendar_views, included into the town namespace by town/urls.py."""

from django.urls import path

from town import calendar_views as views

urlpatterns = [
    path("kalender/ical/", views.feed_town, name="calendar-feed"),
    path("kalender/ical/quelle/<slug:source>/", views.feed_source, name="calendar-feed-source"),
    path("kalender/ical/persoenlich/<str:token>/", views.feed_personal, name="calendar-feed-personal"),
    path("kalender/ical/<slug:ortsgemeinde>/", views.feed_ortsgemeinde, name="calendar-feed-ortsgemeinde"),
    path("konto/kalender/", views.account_calendar, name="account-calendar"),
    path("backoffice/sprechzeiten/", views.office_hours, name="office-hours"),
    path("backoffice/sprechzeiten/<int:pk>/delete/", views.office_hour_remove, name="office-hour-delete"),
]
