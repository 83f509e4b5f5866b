from django.urls import path
from django.views.decorators.http import require_safe

from core.taxonomy.views import taxonomy_urls
from modules.events import views
from modules.events.feeds import EventsAtomFeed, EventsRssFeed
from modules.events.services import CATEGORIES

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("feed/rss/", require_safe(EventsRssFeed()), name="feed-rss"),
    path("feed/atom/", require_safe(EventsAtomFeed()), name="feed-atom"),
    path("feed/verein/<slug:organisation>/ical/", views.organisation_ical, name="feed-organisation-ical"),
    path("suggest/", views.event_suggest, name="event-suggest"),
    path("meine-termine/", views.my_dates, name="my-dates"),
    path("anmeldung/<str:token>/abmelden/", views.registration_cancel, name="registration-cancel"),
    path("manage/", views.event_manage, name="event-manage"),
    path("manage/new/", views.event_create, name="event-create"),
    path("manage/venues/", views.venue_manage, name="venue-manage"),
    path("manage/venues/<int:pk>/delete/", views.venue_delete, name="venue-delete"),
    *taxonomy_urls(CATEGORIES),
    path("manage/<slug:slug>/edit/", views.event_edit, name="event-edit"),
    path("manage/<slug:slug>/cancel-date/", views.event_cancel_date, name="event-cancel-date"),
    path("manage/<slug:slug>/review/", views.suggestion_review, name="suggestion-review"),
    path("manage/<slug:slug>/registrations/", views.registration_list, name="registration-list"),
    path("manage/<slug:slug>/registrations.csv", views.registration_csv, name="registration-csv"),
    path("manage/<slug:slug>/checkin/", views.checkin_list, name="checkin-list"),
    path("manage/<slug:slug>/aushang.pdf", views.event_notice, name="event-notice"),
    path("manage/<slug:slug>/<slug:action>/", views.event_action, name="event-action"),
    path("<slug:slug>/register/", views.event_register, name="event-register"),
    path("<slug:slug>/unregister/", views.event_unregister, name="event-unregister"),
    path("<slug:slug>/merken/", views.event_save, name="event-save"),
    path("<slug:slug>/ical/", views.event_ical, name="event-ical"),
    # Last: event slugs never take a reserved word (services.RESERVED_SLUGS).
    path("<slug:slug>/", views.event_detail, name="event-detail"),
]
