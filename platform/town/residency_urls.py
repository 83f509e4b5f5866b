"""URLs of residency_views, included into the town namespace by town/urls.py."""

from django.urls import path

from town import residency_views as views

urlpatterns = [
    path("konto/wohnsitz/", views.residency, name="residency"),
    path("backoffice/wohnsitz/", views.backoffice_residency, name="backoffice-residency"),
    path("backoffice/wohnsitz/<int:pk>/entscheiden/", views.backoffice_residency_decide,
         name="backoffice-residency-decide"),
    path("backoffice/wohnsitz/briefe/", views.backoffice_residency_letters, name="backoffice-residency-letters"),
    path("backoffice/wohnsitz/briefe/<int:batch>.pdf", views.backoffice_residency_letters_pdf,
         name="backoffice-residency-letters-pdf"),
]
