from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.directory import views
from modules.directory.services import CATEGORIES

app_name = "directory"
urlpatterns = [
    path("", views.business_list, name="business-list"),
    path("register/", views.business_register, name="business-register"),
    path("mine/", views.business_mine, name="business-mine"),
    path("manage/applications/", views.application_list, name="application-list"),
    path("manage/applications/<slug:slug>/approve/", views.application_approve, name="application-approve"),
    path("manage/applications/<slug:slug>/reject/", views.application_reject, name="application-reject"),
    *taxonomy_urls(CATEGORIES),
    path("manage/<slug:slug>/", views.business_manage, name="business-manage"),
    path("manage/<slug:slug>/resubmit/", views.business_resubmit, name="business-resubmit"),
    path("manage/<slug:slug>/hours/", views.opening_hours_edit, name="opening-hours"),
    path("manage/<slug:slug>/hours/exceptions/", views.opening_exception_add, name="opening-exception-add"),
    path("manage/<slug:slug>/hours/exceptions/<int:exception_pk>/delete/", views.opening_exception_delete,
         name="opening-exception-delete"),
    path("manage/<slug:slug>/photos/", views.photo_manage, name="photo-manage"),
    path("manage/<slug:slug>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo-delete"),
    path("manage/<slug:slug>/offers/", views.offer_manage, name="offer-manage"),
    path("manage/<slug:slug>/offers/<int:offer_pk>/delete/", views.offer_delete, name="offer-delete"),
    # Last: business slugs never take a reserved word (services.RESERVED_SLUGS).
    path("<slug:slug>/", views.business_detail, name="business-detail"),
    path("<slug:slug>/vcard/", views.business_vcard, name="business-vcard"),
]
