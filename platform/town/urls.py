from django.urls import include, path

from town import (
    audit_views,
    calendar_urls,
    domain_urls,
    outreach_urls,
    people_urls,
    privacy_urls,
    residency_urls,
    views,
)

app_name = "town"
urlpatterns = [
    # PWA
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("icon-<int:size>.png", views.icon, name="icon"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("brand.css", views.brand_css, name="brand-css"),
    path("offline/", views.offline, name="offline"),
    # back office: the town itself
    path("backoffice/", views.backoffice, name="backoffice"),
    path("backoffice/profile/", views.backoffice_branding, name="backoffice-branding"),
    path("backoffice/contact/", views.backoffice_contact, name="backoffice-contact"),
    path("backoffice/legal/", views.backoffice_legal, name="backoffice-legal"),
    path("backoffice/sicherheit/", views.backoffice_security, name="backoffice-security"),
    # back office: the town's own address beside its subdomain (domain_urls.py)
    path("", include(domain_urls.urlpatterns)),
    # back office: Ortsgemeinden
    path("backoffice/ortsgemeinden/", views.ortsgemeinde_list, name="ortsgemeinde-list"),
    path("backoffice/ortsgemeinden/new/", views.ortsgemeinde_add, name="ortsgemeinde-add"),
    path("backoffice/ortsgemeinden/slug/", views.ortsgemeinde_slug, name="ortsgemeinde-slug"),
    path("backoffice/ortsgemeinden/<int:pk>/", views.ortsgemeinde_edit, name="ortsgemeinde-edit"),
    path("backoffice/ortsgemeinden/<int:pk>/delete/", views.ortsgemeinde_remove, name="ortsgemeinde-delete"),
    # back office: places, boundaries and street lists of the Ortsgemeinden (places_urls.py)
    path("", include("town.places_urls")),
    # back office: modules
    path("backoffice/modules/", views.module_list, name="module-list"),
    path("backoffice/modules/<slug:key>/toggle/", views.module_toggle, name="module-toggle"),
    path("backoffice/modules/<slug:key>/settings/", views.module_settings, name="module-settings"),
    # back office: the audit log (read and download only: no route changes or deletes an entry)
    path("backoffice/protokoll/", audit_views.audit_log, name="audit-log"),
    path("backoffice/protokoll/export.csv", audit_views.audit_log_csv, name="audit-log-csv"),
    # people, organisations, invitations, my account (people_urls.py)
    path("", include(people_urls.urlpatterns)),
    # iCalendar feeds, a resident's calendar link, office hours in the back office (calendar_urls.py)
    path("", include(calendar_urls.urlpatterns)),
    # a resident's own data and account deletion; the town's data-protection paperwork (privacy_urls.py)
    path("", include(privacy_urls.urlpatterns)),
    # printed invitations (posters, flyers, letters) and the short links of their QR codes
    path("", include(outreach_urls.urlpatterns)),
    path("", include(residency_urls.urlpatterns)),
]
