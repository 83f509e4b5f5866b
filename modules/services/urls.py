from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.services import views
from modules.services.services import LIFE_SITUATIONS

app_name = "services"
urlpatterns = [
    path("", views.service_list, name="service-list"),
    path("offices/<slug:office>/", views.office_detail, name="office-detail"),
    path("fundbuero/", views.found_list, name="found-list"),
    path("fundbuero/<int:item>/", views.found_detail, name="found-detail"),
    path("manage/", views.manage, name="manage"),
    path("manage/services/new/", views.service_create, name="service-create"),
    path("manage/services/<slug:slug>/", views.service_edit, name="service-edit"),
    path("manage/services/<slug:slug>/delete/", views.service_delete, name="service-delete"),
    path("manage/services/<slug:slug>/forms/", views.service_form_add, name="service-form-add"),
    path("manage/services/<slug:slug>/forms/<int:form>/delete/", views.service_form_delete,
         name="service-form-delete"),
    path("manage/offices/new/", views.office_create, name="office-create"),
    path("manage/offices/<slug:office>/", views.office_edit, name="office-edit"),
    path("manage/offices/<slug:office>/delete/", views.office_delete, name="office-delete"),
    path("manage/offices/<slug:office>/hours/", views.office_hour_add, name="office-hour-add"),
    path("manage/offices/<slug:office>/hours/adopt/", views.office_hour_adopt, name="office-hour-adopt"),
    path("manage/offices/<slug:office>/hours/<int:hour>/delete/", views.office_hour_delete,
         name="office-hour-delete"),
    path("manage/offices/<slug:office>/days/", views.office_day_add, name="office-day-add"),
    path("manage/offices/<slug:office>/days/<int:day>/delete/", views.office_day_delete, name="office-day-delete"),
    path("manage/offices/<slug:office>/contacts/", views.office_contact_add, name="office-contact-add"),
    path("manage/offices/<slug:office>/contacts/<int:contact>/delete/", views.office_contact_delete,
         name="office-contact-delete"),
    path("manage/fundbuero/", views.found_manage, name="found-manage"),
    path("manage/fundbuero/<int:item>/", views.found_manage_detail, name="found-manage-detail"),
    path("manage/fundbuero/<int:item>/return/", views.found_return, name="found-return"),
    path("manage/fundbuero/<int:item>/delete/", views.found_delete, name="found-delete"),
    *taxonomy_urls(LIFE_SITUATIONS),
    # Last: service slugs never take a reserved word (services.RESERVED_SLUGS).
    path("<slug:slug>/", views.service_detail, name="service-detail"),
]
