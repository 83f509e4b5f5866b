"""URLs of domain_views (the town's own address), included into the town namespace by town/urls.py."""

from django.urls import path

from town import domain_views as views

urlpatterns = [
    path("backoffice/adresse/", views.domains, name="backoffice-domains"),
    path("backoffice/adresse/hauptadresse/", views.domain_primary, name="backoffice-domain-primary"),
    path("backoffice/adresse/<int:pk>/pruefen/", views.domain_check, name="backoffice-domain-check"),
    path("backoffice/adresse/<int:pk>/entfernen/", views.domain_remove, name="backoffice-domain-remove"),
]
