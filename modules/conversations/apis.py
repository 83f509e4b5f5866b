"""The Messages API (/api/v1/conversations/): the signed-in resident's own conversations only.

Anyone who doesn't take part in a conversation gets 404 for it, whoever they are.
"""

from __future__ import annotations

from typing import Any

from api.pagination import DefaultPagination
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.conversations import selectors, services
from modules.conversations.models import Conversation, Message

_TAGS = ["conversations"]
_MAX_ID = 2**63 - 1


class _PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="First name and initial, as other residents see it.")


def _origin(context: dict) -> str:
    # One lookup of the town's domain per response, not one per row.
    if "origin" not in context:
        context["origin"] = town_url("")
    return context["origin"]


class _MessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.SerializerMethodField()
    own = serializers.SerializerMethodField(help_text="Sent by you.")
    text = serializers.SerializerMethodField(help_text="Plain text; empty when the moderators hid it.")
    context = serializers.SerializerMethodField(help_text="Where it was written from, e.g. a listing.")
    hidden = serializers.BooleanField(source="is_hidden", help_text="Hidden by the town's moderators.")
    sent_at = serializers.DateTimeField(source="created_at")

    def _viewer_id(self) -> int:
        return self.context["viewer_id"]

    @extend_schema_field(_PersonSerializer(allow_null=True))
    def get_sender(self, message: Message) -> dict[str, Any] | None:
        if not message.sender_id:
            return None
        return {"id": message.sender_id, "name": services.display_name(message.sender)}

    def get_own(self, message: Message) -> bool:
        return message.sender_id == self._viewer_id()

    def _visible(self, message: Message) -> bool:
        return not message.is_hidden or message.sender_id == self._viewer_id()

    def get_text(self, message: Message) -> str:
        return message.text if self._visible(message) else ""

    def get_context(self, message: Message) -> str:
        return message.context_label if self._visible(message) else ""


class _ConversationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direct = serializers.BooleanField(source="is_direct", help_text="A one-to-one conversation (not a group).")
    people = serializers.SerializerMethodField(help_text="Everyone in it but you.")
    unread = serializers.IntegerField(help_text="Messages you haven't read yet.")
    last_message_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(_PersonSerializer(many=True))
    def get_people(self, conversation: Conversation) -> list[dict[str, Any]]:
        viewer_id = self.context["viewer_id"]
        return [
            {"id": p.user_id, "name": services.display_name(p.user)}
            for p in conversation.participants.all()
            if p.user_id != viewer_id
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, conversation: Conversation) -> str:
        return _origin(self.context) + conversation.get_absolute_url()


def _own_conversation(request: Request, pk: int) -> Conversation:
    conversation = selectors.conversation_get_for(pk=pk, user=request.user)
    if conversation is None:
        raise Http404
    return conversation


class ConversationListApi(APIView):
    """Your conversations, newest activity first, each with its number of unread messages."""

    permission_classes = [IsAuthenticated]
    pagination_class = DefaultPagination

    class OutputSerializer(_ConversationOutputSerializer):
        pass

    @extend_schema(operation_id="conversations_list", responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.conversation_list_for(user=request.user), request, view=self)
        selectors.with_unread_and_people(page or [], user=request.user)
        context = {"viewer_id": request.user.pk}
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True, context=context).data)


class MessageListApi(APIView):
    """The newest messages of one of your conversations, oldest first. With ?after=<id> only newer ones
    (for polling), with ?before=<id> the ones before (to page back); reading new ones marks them read."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    class FilterSerializer(serializers.Serializer):
        after = serializers.IntegerField(required=False, min_value=0, max_value=_MAX_ID)
        before = serializers.IntegerField(required=False, min_value=1, max_value=_MAX_ID)
        limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=50)

    class OutputSerializer(_MessageOutputSerializer):
        pass

    @extend_schema(
        operation_id="conversations_messages_list",
        parameters=[
            OpenApiParameter("after", int, description="Only messages with a larger id (for polling)."),
            OpenApiParameter("before", int, description="The newest messages older than this id (to page back)."),
            OpenApiParameter("limit", int, description="At most this many (1–100, default 50)."),
        ],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        conversation = _own_conversation(request, pk)
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        messages = selectors.message_list_for(
            conversation=conversation, user=request.user, after=data.get("after"), before=data.get("before"),
            limit=data["limit"],
        )
        if messages and data.get("before") is None:
            services.conversation_mark_read(conversation=conversation, user=request.user, up_to_id=messages[-1].pk)
        return Response(self.OutputSerializer(messages, many=True, context={"viewer_id": request.user.pk}).data)


class MessageSendApi(APIView):
    """Write to one of your conversations."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)

    class OutputSerializer(_MessageOutputSerializer):
        pass

    @extend_schema(
        operation_id="conversations_messages_send",
        request=InputSerializer,
        responses={201: OutputSerializer},
        tags=_TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        conversation = _own_conversation(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.message_send(
                conversation=conversation, acting_user=request.user, text=serializer.validated_data["text"]
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            raise ValidationError(detail) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        return Response(self.OutputSerializer(message, context={"viewer_id": request.user.pk}).data, status=201)
