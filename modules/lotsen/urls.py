from django.urls import path

from modules.lotsen import views

app_name = "lotsen"
urlpatterns = [
    path("", views.index, name="index"),
    path("anmelden/", views.sign_in, name="sign-in"),
    path("bereich/", views.workspace, name="workspace"),
    path("registrieren/", views.register, name="register"),
    path("personen/<int:registration_id>/", views.person, name="person"),
    path("personen/<int:registration_id>/brief/", views.letter, name="letter"),
    path("personen/<int:registration_id>/beitrag/", views.post_for, name="post-for"),
    path("personen/<int:registration_id>/veranstaltung/", views.event_for, name="event-for"),
    path("hilfe/<int:request_id>/nehmen/", views.help_take, name="help-take"),
    path("hilfe/<int:request_id>/erledigt/", views.help_done, name="help-done"),
    path("verwalten/", views.manage, name="manage"),
    path("verwalten/<int:lotse_id>/entfernen/", views.remove, name="remove"),
]
