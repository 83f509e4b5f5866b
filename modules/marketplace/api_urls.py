from django.urls import path

from modules.marketplace import apis

urlpatterns = [
    path("listings/", apis.ListingListApi.as_view(), name="listing-list"),
    path("listings/<int:pk>/", apis.ListingDetailApi.as_view(), name="listing-detail"),
]
