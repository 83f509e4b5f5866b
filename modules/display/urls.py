from django.urls import path

from modules.display import views

app_name = "display"
urlpatterns = [
    path("bildschirm/<str:key>/", views.screen_page, name="screen"),
    path("bildschirm/<str:key>/stand.json", views.screen_state, name="state"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/abmelden/", views.revoke, name="revoke"),
]
