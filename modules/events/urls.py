from django.urls import path

from modules.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("anmeldung/<str:token>/abmelden/", views.registration_cancel, name="registration-cancel"),
    path("<slug:slug>/", views.event_detail, name="event-detail"),
]
