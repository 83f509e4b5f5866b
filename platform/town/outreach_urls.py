"""URLs of outreach_views and cockpit_views (how the town reaches people, how far it got), included
into the town namespace by town/urls.py."""

from django.urls import path

from town import cockpit_views
from town import outreach_views as views

urlpatterns = [
    path("backoffice/ueberblick/", cockpit_views.cockpit, name="cockpit"),
    path("backoffice/ueberblick.csv", cockpit_views.cockpit_csv, name="cockpit-csv"),
    path("r/<str:code>/", views.signup_code, name="signup-code"),
    path("backoffice/einladungen/", views.invitations, name="invitations"),
    path("backoffice/einladungen/gemeinde/<slug:kind>.pdf", views.invitation_document, name="invitation-town"),
    path("backoffice/einladungen/ort/<int:pk>/<slug:kind>.pdf", views.invitation_document,
         {"source": "ortsgemeinde"}, name="invitation-ortsgemeinde"),
    path("backoffice/einladungen/verein/<int:pk>/<slug:kind>.pdf", views.invitation_document,
         {"source": "organisation"}, name="invitation-organisation"),
]
