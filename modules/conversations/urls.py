from django.urls import path

from modules.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="conversation-list"),
    path("new/", views.conversation_new, name="conversation-new"),
    path("blocked/", views.blocked_list, name="blocked"),
    path("blocked/remove/", views.blocked_remove, name="blocked-remove"),
    path("<int:pk>/", views.conversation_detail, name="conversation-detail"),
    path("<int:pk>/poll/", views.conversation_poll, name="conversation-poll"),
    path("<int:pk>/leave/", views.conversation_leave, name="conversation-leave"),
]
