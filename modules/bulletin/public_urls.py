"""/mitteilungsblatt/: the archive, each issue online and as PDF, the e-mail subscription."""

from django.urls import path

from modules.bulletin import views

app_name = "bulletin-mitteilungsblatt"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("abonnieren/", views.subscription, name="subscription"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:year>/<int:number>/", views.issue_detail, name="issue"),
    path("<int:year>/<int:number>/pdf/", views.issue_pdf_view, name="issue-pdf"),
]
