"""/open311/v2/: GeoReport v2, each resource as .json and .xml (see modules.reports.open311)."""

from django.urls import path

from modules.reports import open311

app_name = "reports-open311"
urlpatterns = [path("openapi.json", open311.openapi, name="openapi")]
for fmt in ("json", "xml"):
    urlpatterns += [
        path(f"discovery.{fmt}", open311.discovery, {"fmt": fmt}, name="discovery"),
        path(f"services.{fmt}", open311.services_list, {"fmt": fmt}, name="services"),
        path(f"services/<str:service_code>.{fmt}", open311.service_definition, {"fmt": fmt}, name="service"),
        path(f"requests.{fmt}", open311.requests_view, {"fmt": fmt}, name="requests"),
        path(f"requests/<str:report_id>.{fmt}", open311.request_detail, {"fmt": fmt}, name="request-detail"),
        path(f"tokens/<str:token>.{fmt}", open311.token, {"fmt": fmt}, name="token"),
    ]
