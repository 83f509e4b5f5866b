from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.reports import views
from modules.reports.services import CATEGORIES

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("melden/", views.report_create, name="report-create"),
    path("melden/in-der-naehe/", views.report_nearby, name="report-nearby"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/folgen/", views.report_follow, name="report-follow"),
    path("<int:pk>/wieder-oeffnen/", views.report_reopen, name="report-reopen"),
    path("bestaetigen/<str:token>/", views.report_confirm, name="report-confirm"),
    path("antwort/<str:token>/", views.forward_answer, name="forward-answer"),
    path("manage/", views.manage, name="manage"),
    *taxonomy_urls(CATEGORIES),
    path("manage/categories/<int:pk>/edit/", views.category_edit, name="category-edit"),
    path("manage/api-keys/", views.apikey_list, name="apikeys"),
    path("manage/api-keys/<int:pk>/revoke/", views.apikey_revoke, name="apikey-revoke"),
    path("manage/<int:pk>/", views.manage_report, name="manage-report"),
]
