from django.urls import path
from django.views.generic import RedirectView

from modules.bulletin import views

app_name = "bulletin"
urlpatterns = [
    # The module's own address leads to the archive at /mitteilungsblatt/ (what residents and the print know).
    path("", RedirectView.as_view(pattern_name="bulletin-mitteilungsblatt:archive"), name="archive"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.issue_manage, name="issue-manage"),
    path("manage/<int:pk>/eintrag/", views.item_add, name="item-add"),
    path("manage/<int:pk>/pruefen/", views.issue_refresh, name="issue-refresh"),
    path("manage/<int:pk>/vorschau.pdf", views.issue_preview, name="issue-preview"),
    path("manage/<int:pk>/veroeffentlichen/", views.issue_publish, name="issue-publish"),
    path("manage/<int:pk>/loeschen/", views.issue_delete, name="issue-delete"),
]
