from django.urls import path

from modules.moderation import apis

urlpatterns = [
    path("reports/", apis.ReportListApi.as_view(), name="report-list"),
    path("reports/create/", apis.ReportCreateApi.as_view(), name="report-create"),
]
