from django.urls import path

from tenants import staff, views

app_name = "tenants"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("nutzungsbedingungen/", views.terms, name="terms"),
    path("av-vertrag/", views.dpa, name="dpa"),
    path("registrieren/", views.signup, name="signup"),
    path("registrieren/<uuid:signup_id>/", views.signup_status, name="signup-status"),
    path("registrieren/<uuid:signup_id>/status.json", views.signup_status_json, name="signup-status-json"),
    path("registrieren/<uuid:signup_id>/bestaetigen/<str:token>/", views.signup_confirm, name="signup-confirm"),
    path("registrieren/<uuid:signup_id>/erneut/", views.signup_retry, name="signup-retry"),
    path("registrieren/<uuid:signup_id>/mail/", views.signup_resend, name="signup-resend"),
    path("registrieren/<uuid:signup_id>/weiter/", views.signup_handover, name="signup-handover"),
    path("staff/", staff.staff_home, name="staff"),
    path("staff/protokoll/", staff.staff_audit_log, name="staff-audit-log"),
    path("staff/protokoll/export.csv", staff.staff_audit_log_csv, name="staff-audit-log-csv"),
    path("staff/gemeinden/<int:town_id>/aktiv/", staff.staff_town_active, name="staff-town-active"),
    path("staff/gemeinden/<int:town_id>/export/", staff.staff_town_export, name="staff-town-export"),
    path("staff/gemeinden/<int:town_id>/export/herunterladen/", staff.staff_town_export_download,
         name="staff-town-export-download"),
    path("staff/gemeinden/<int:town_id>/austritt/", staff.staff_town_leave, name="staff-town-leave"),
    path("staff/gemeinden/<int:town_id>/austritt/zuruecknehmen/", staff.staff_town_leave_cancel,
         name="staff-town-leave-cancel"),
    path("staff/registrierungen/<uuid:signup_id>/erneut/", staff.staff_signup_retry, name="staff-signup-retry"),
]
