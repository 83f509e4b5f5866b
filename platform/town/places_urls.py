"""Back-office pages of the town's places (included into town.urls, so the names are town:places ...)."""

from django.urls import path

from town import places_views

urlpatterns = [
    path("backoffice/orte/", places_views.places, name="places"),
    path("backoffice/orte/pruefen/", places_views.place_check, name="place-check"),
    path("backoffice/orte/<int:pk>/strassen/", places_views.place_streets, name="place-streets"),
]
