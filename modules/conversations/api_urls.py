from django.urls import path

from modules.conversations import apis

urlpatterns = [
    path("", apis.ConversationListApi.as_view(), name="conversation-list"),
    path("<int:pk>/messages/", apis.MessageListApi.as_view(), name="message-list"),
    path("<int:pk>/messages/send/", apis.MessageSendApi.as_view(), name="message-send"),
]
