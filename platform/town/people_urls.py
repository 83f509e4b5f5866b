"""URLs of people_views, included into the town namespace by town/urls.py."""

from django.urls import path

from town import people_views as views
from town import welcome_views
from town.week_text import organisation_week_text

urlpatterns = [
    path("konto/", views.account, name="account"),
    path("konto/willkommen/", welcome_views.welcome, name="welcome"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("organisationen/", views.organisation_list, name="organisation-list"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisationen/<slug:slug>/folgen/", views.organisation_follow_toggle, name="organisation-follow"),
    path("backoffice/personen/", views.people, name="people"),
    path("backoffice/personen/invite/", views.invite, name="invite"),
    path("backoffice/personen/<int:pk>/", views.person, name="person"),
    path("backoffice/invitations/<int:pk>/withdraw/", views.invitation_delete, name="invitation-delete"),
    path("backoffice/invitations/<int:pk>/resend/", views.invitation_resend_view, name="invitation-resend"),
    path("backoffice/organisationen/", views.organisation_admin_list, name="organisation-admin-list"),
    path("backoffice/organisationen/new/", views.organisation_admin_create, name="organisation-admin-create"),
    path("backoffice/organisationen/<slug:slug>/edit/", views.organisation_admin_edit, name="organisation-admin-edit"),
    path("backoffice/organisationen/<slug:slug>/delete/", views.organisation_admin_delete,
         name="organisation-admin-delete"),
    path("backoffice/organisationen/<slug:slug>/members/", views.organisation_admin_members,
         name="organisation-admin-members"),
    path("backoffice/organisationen/<slug:slug>/wochentext/", organisation_week_text,
         name="organisation-week-text"),
    path("backoffice/organisationen/<slug:slug>/invitations/<int:pk>/resend/", views.organisation_invitation_resend,
         name="organisation-invitation-resend"),
    path("backoffice/organisationen/<slug:slug>/invitations/<int:pk>/withdraw/",
         views.organisation_invitation_withdraw, name="organisation-invitation-withdraw"),
    path("backoffice/organisationen/<slug:slug>/members/<int:pk>/remove/", views.organisation_admin_member_remove,
         name="organisation-admin-member-remove"),
]
