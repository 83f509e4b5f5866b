from django.urls import path

from modules.waste import apis

urlpatterns = [
    path("areas/", apis.AreaListApi.as_view(), name="area-list"),
    path("areas/<slug:slug>/pickups/", apis.PickupListApi.as_view(), name="pickup-list"),
]
