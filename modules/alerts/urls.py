from django.urls import path
from django.views.decorators.http import require_safe

from modules.alerts import views
from modules.alerts.feeds import NoticeAtomFeed, NoticeRssFeed

app_name = "alerts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("warnung/<int:warning_id>/", views.warning_detail, name="warning-detail"),
    path("bekanntmachung/<int:pk>/", views.notice_detail, name="notice-detail"),
    # Feeds are read-only: anything but GET/HEAD is 405.
    path("feed/rss/", require_safe(NoticeRssFeed()), name="feed-rss"),
    path("feed/atom/", require_safe(NoticeAtomFeed()), name="feed-atom"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.notice_create, name="notice-create"),
    path("manage/<int:pk>/edit/", views.notice_edit, name="notice-edit"),
    path("manage/<int:pk>/delete/", views.notice_delete, name="notice-delete"),
]
