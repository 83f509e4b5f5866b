"""URLs of privacy_views, included into the town namespace by town/urls.py."""

from django.urls import path

from town import privacy_views as views

urlpatterns = [
    path("konto/meine-daten/", views.my_data, name="my-data"),
    path("konto/meine-daten/<int:pk>/herunterladen/", views.my_data_download, name="my-data-download"),
    path("konto/loeschen/", views.account_delete, name="account-delete"),
    path("datenschutz/aufbewahrung/", views.retention, name="retention"),
    path("backoffice/datenschutz/", views.privacy_documents, name="privacy-documents"),
    path("backoffice/datenschutz/verarbeitungsverzeichnis/", views.privacy_record, name="privacy-record"),
    path("backoffice/datenschutz/auftragsverarbeitung/", views.privacy_dpa, name="privacy-dpa"),
    path("backoffice/datenschutz/tom/", views.privacy_tom, name="privacy-tom"),
]
