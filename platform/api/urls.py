"""URLs of the API layer, mounted at the root of a town's host by config.urls_tenant."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import apis, views

app_name = "api"

# Signed-in pages (under /konto/).
page_patterns = [
    path("api-tokens/", views.token_list, name="token-list"),
    path("api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]

# Platform endpoints under /api/v1/, next to the modules' /api/v1/<module>/.
v1_patterns = [
    path("town/", apis.TownProfileApi.as_view(), name="town-profile"),
    path("ortsgemeinden/", apis.OrtsgemeindeListApi.as_view(), name="ortsgemeinde-list"),
    path("organisations/", apis.OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", apis.OrganisationDetailApi.as_view(), name="organisation-detail"),
    path("me/", apis.MeApi.as_view(), name="me"),
]

# The OpenAPI description of this town's API and its browsable docs (under /api/).
schema_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up as a script file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
]

urlpatterns = [
    path("konto/", include(page_patterns)),
    path("api/v1/", include(v1_patterns)),
    path("api/", include(schema_patterns)),
]
