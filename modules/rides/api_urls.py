from django.urls import path

from modules.rides import apis

urlpatterns = [
    path("stops/", apis.StopListApi.as_view(), name="stop-list"),
    path("stops/<int:stop_id>/departures/", apis.StopDeparturesApi.as_view(), name="stop-departures"),
    path("offers/", apis.OfferListApi.as_view(), name="offer-list"),
]
