from django.urls import path

from modules.events import apis

urlpatterns = [
    path("occurrences/", apis.OccurrenceListApi.as_view(), name="occurrence-list"),
    path("events/create/", apis.EventCreateApi.as_view(), name="event-create"),
    path("events/<slug:slug>/", apis.EventDetailApi.as_view(), name="event-detail"),
]
