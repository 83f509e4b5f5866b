from django.urls import path

from modules.council import views

app_name = "council"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("sitzungen/<int:pk>/ical/", views.meeting_ical, name="meeting-ical"),
    path("dokumente/<int:pk>/", views.document_detail, name="document-detail"),
    path("empfehlungen/", views.recommendation_list, name="recommendation-list"),
    path("empfehlungen/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("empfehlungen/<int:pk>/abstimmen/", views.recommendation_vote, name="recommendation-vote"),
    path("ris/", views.ris_overview, name="ris-overview"),
    path("ris/gremien/<int:pk>/", views.ris_organization, name="ris-organization"),
    path("ris/sitzungen/<int:pk>/", views.ris_meeting, name="ris-meeting"),
    path("ris/vorlagen/", views.ris_papers, name="ris-papers"),
    path("ris/vorlagen/<int:pk>/", views.ris_paper, name="ris-paper"),
    path("manage/", views.manage, name="manage"),
    path("manage/abgleich/", views.sync_now, name="sync-now"),
    path("manage/mitglieder/neu/", views.member_create, name="member-create"),
    path("manage/mitglieder/<int:pk>/", views.member_edit, name="member-edit"),
    path("manage/sitzungen/neu/", views.meeting_create, name="meeting-create"),
    path("manage/sitzungen/<int:pk>/", views.meeting_manage, name="meeting-manage"),
    path("manage/sitzungen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting-edit"),
    path("manage/sitzungen/<int:pk>/tops/", views.agenda_item_add, name="agenda-item-add"),
    path("manage/tops/<int:pk>/loeschen/", views.agenda_item_delete, name="agenda-item-delete"),
    path("manage/sitzungen/<int:pk>/dokumente/", views.document_add, name="document-add"),
    path("manage/sitzungen/<int:pk>/empfehlungen/", views.recommendation_create, name="recommendation-create"),
    path("manage/empfehlungen/<int:pk>/", views.recommendation_manage, name="recommendation-manage"),
]
