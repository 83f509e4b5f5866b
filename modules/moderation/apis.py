"""The moderation API (/api/v1/moderation/): residents report content and follow their own reports.

The moderators' queue stays in the back office: decisions need a statement of reasons written by a person.
"""

from __future__ import annotations

from api.pagination import DefaultPagination
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.moderation import selectors, services
from modules.moderation.kinds import kind_get
from modules.moderation.models import REPORT_TEXT_MAX_LENGTH, Action, Report, ReportCategory

_TAGS = ["moderation"]
MAX_ID = 2**63 - 1


class _ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="case.kind")
    object_id = serializers.IntegerField(source="case.object_id")
    category = serializers.ChoiceField(choices=ReportCategory.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    outcome = serializers.SerializerMethodField(help_text="The moderators' latest decision; null while open.")

    @extend_schema_field(serializers.ChoiceField(choices=Action.choices, allow_null=True))
    def get_outcome(self, report: Report) -> str | None:
        decisions = sorted(report.case.decisions.all(), key=lambda d: (d.created_at, d.pk))
        return decisions[-1].action if decisions else None


class ReportListApi(APIView):
    """Your own reports, newest first, with the outcome of each."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(_ReportOutputSerializer):
        pass

    @extend_schema(operation_id="moderation_reports_list", responses={200: OutputSerializer(many=True)}, tags=_TAGS)
    def get(self, request: Request) -> Response:
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(selectors.report_list_of(request.user), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ReportCreateApi(APIView):
    """Report a post, comment, message or profile to the town's moderators (one open report per content)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=80, help_text='E.g. "board.post" or "moderation.profile".')
        object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        category = serializers.ChoiceField(choices=ReportCategory.choices)
        text = serializers.CharField(max_length=REPORT_TEXT_MAX_LENGTH)

    class OutputSerializer(_ReportOutputSerializer):
        pass

    @extend_schema(operation_id="moderation_reports_create", request=InputSerializer,
                   responses={201: OutputSerializer}, tags=_TAGS)
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        content = kind_get(data["kind"])
        if not services.content_visible_to(content, data["object_id"], request.user) or (
                content.get(data["object_id"]) is None):
            raise Http404
        try:
            report = services.report_create(kind=data["kind"], object_id=data["object_id"],
                                            category=data["category"], text=data["text"], acting_user=request.user)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            raise ValidationError(detail) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        report = selectors.report_list_of(request.user).get(pk=report.pk)
        return Response(self.OutputSerializer(report).data, status=201)
