from django.urls import path

from modules.services import apis

urlpatterns = [
    path("services/", apis.ServiceListApi.as_view(), name="service-list"),
    path("services/<slug:slug>/", apis.ServiceDetailApi.as_view(), name="service-detail"),
    path("offices/", apis.OfficeListApi.as_view(), name="office-list"),
]
