"""URLs on a town's host (<slug>.<BASE_DOMAIN>). Every module is mounted here;
its views answer 404 unless the town has it switched on."""

from importlib import import_module

from django.urls import include, path

from accounts.views import signup as resident_signup
from core import calendar_views, map_views
from core import views as core_views
from core.access import module_urls
from core.capabilities import module_capabilities
from core.modules import UrlMount, all_modules
from core.security_headers import csp_report
from tenants.handover import handover

urlpatterns = [
    path("", core_views.home, name="home"),
    path("suche/", core_views.search, name="search"),
    path("impressum/", core_views.impressum, name="impressum"),
    path("datenschutz/", core_views.privacy, name="privacy"),
    path("barrierefreiheit/", core_views.accessibility, name="accessibility"),
    path("media/<path:path>", core_views.media, name="media"),
    path("karte/", map_views.map_page, name="map"),
    path("kalender/", calendar_views.calendar_page, name="calendar"),
    # core.maps.map_context builds this path for Leaflet: keep the two in step.
    path("karte/kacheln/<int:z>/<int:x>/<int:y>.png", map_views.map_tile, name="map-tile"),
    # allauth's signup page with the village preselected from a printed invitation's code; same name,
    # so every {% url 'account_signup' %} and allauth's own redirects lead here.
    path("accounts/signup/", resident_signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("", include("town.urls")),
    path("", include("accounts.urls")),  # /mail/bounces/, /konto/adresse-pruefen/
    # API tokens (/konto/api-tokens/), platform endpoints (/api/v1/town/ ...), /api/schema/, /api/docs/
    path("", include("api.urls")),
    path("willkommen/<str:token>/", handover, name="handover"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp-report"),
    path("", include("billing.urls_town")),  # /sponsoring/..., /backoffice/sponsoring/...
]

api_patterns: list = []
for key, module in all_modules().items():
    urls = import_module(f"{module.name}.urls")
    prefix = key.replace("_", "-")
    urlpatterns.append(path(f"{prefix}/", include((module_urls(key, urls.urlpatterns), urls.app_name))))
    if module.spec.has_api:
        api = import_module(f"{module.name}.api_urls")
        api_patterns.append(
            path(f"{prefix}/", include((module_urls(key, api.urlpatterns), f"{urls.app_name}-api")))
        )
    # Top-level paths a module claims besides /<key>/ (Open311's /open311/v2/, short links): switched
    # off with the module like its own routes. The contract test refuses two claims on one prefix.
    for mount in module_capabilities(module, UrlMount):
        mounted = import_module(mount.urls)
        urlpatterns.append(
            path(mount.prefix, include((module_urls(key, mounted.urlpatterns), mount.namespace_for(key))))
        )

urlpatterns.append(path("api/v1/", include(api_patterns)))

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
handler403 = "core.errors.forbidden"
