from django.urls import path

from modules.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("settings/", views.notification_settings, name="settings"),
    path("push/subscribe/", views.push_subscribe, name="push-subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push-unsubscribe"),
    path("manage/urgent/", views.urgent_manage, name="urgent-manage"),
    path("manage/defaults/", views.defaults_manage, name="defaults-manage"),
    # First of the routes with an object: the isolation suite looks at it again after re-enabling the module.
    path("urgent/<int:pk>/", views.urgent_detail, name="urgent-detail"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
