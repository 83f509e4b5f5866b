from django.urls import path

from modules.moderation import views

app_name = "moderation"
urlpatterns = [
    path("melden/<str:kind>/<int:object_id>/", views.report, name="report"),
    path("meine-meldungen/", views.my_reports, name="my-reports"),
    path("entscheidung/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("entscheidung/<int:pk>/widerspruch/", views.objection_create, name="objection-create"),
    path("manage/", views.queue, name="queue"),
    path("manage/bulk/", views.bulk_decide, name="bulk-decide"),
    path("manage/word-filter/", views.word_filter, name="word-filter"),
    path("manage/log/", views.audit_log, name="audit-log"),
    path("manage/<int:pk>/", views.case_detail, name="case-detail"),
    path("manage/<int:pk>/decide/", views.case_decide, name="case-decide"),
]
