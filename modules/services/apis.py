"""The services API (/api/v1/services/): read-only, public — services A–Z and offices with their hours."""

from __future__ import annotations

from typing import Any

from api.fields import WallClockField
from api.pagination import DefaultPagination
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.services import selectors
from modules.services.models import Office, Service

_TAGS = ["services"]


class _OriginMixin:
    context: dict[str, Any]

    def _origin(self) -> str:
        # One lookup of the town's domain per response, not one per row.
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return str(self.context["origin"])


class _HoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday.")
    opens = WallClockField()
    closes = WallClockField()


class _DaySerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    closed = serializers.BooleanField()
    opens = WallClockField(allow_null=True)
    closes = WallClockField(allow_null=True)
    note = serializers.CharField()


class _OfficeOutputSerializer(_OriginMixin, serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    address = serializers.CharField()
    room = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    booking_url = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    open_now = serializers.SerializerMethodField()
    hours = serializers.SerializerMethodField()
    special_days = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, office: Office) -> str:
        return self._origin() + office.get_absolute_url()

    def get_open_now(self, office: Office) -> bool:
        return selectors.office_open_state(office).is_open

    @extend_schema_field(_HoursSerializer(many=True))
    def get_hours(self, office: Office) -> list[dict[str, Any]]:
        return _HoursSerializer([{"weekday": i.weekday, "opens": i.opens, "closes": i.closes}
                                 for i in selectors.office_intervals(office)], many=True).data

    @extend_schema_field(_DaySerializer(many=True))
    def get_special_days(self, office: Office) -> list[dict[str, Any]]:
        return _DaySerializer(selectors.office_upcoming_days(office), many=True).data


class _ServiceOutputSerializer(_OriginMixin, serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.SerializerMethodField()
    office = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    life_situation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    documents = serializers.ListField(child=serializers.CharField(), source="document_list",
                                      help_text="What to bring, one item each.")
    fees = serializers.CharField()
    appointment_required = serializers.BooleanField()
    online_url = serializers.CharField()
    booking_url = serializers.CharField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, service: Service) -> str:
        return self._origin() + service.get_absolute_url()


class ServiceListApi(APIView):
    """Published services A–Z. Filters: life_situation (slug), search (German full text)."""

    permission_classes = [AllowAny]

    class OutputSerializer(_ServiceOutputSerializer):
        pass

    @extend_schema(
        operation_id="services_services_list",
        parameters=[
            OpenApiParameter("life_situation", str, description="Slug of a Lebenslage."),
            OpenApiParameter("search", str, description="Full-text search (German stemming)."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        search = (request.query_params.get("search") or "")[:100]
        qs = selectors.service_list_visible(life_situation=request.query_params.get("life_situation") or None,
                                            search=search or None)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ServiceDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(_ServiceOutputSerializer):
        forms = serializers.SerializerMethodField()

        @extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
            "title": {"type": "string"}, "url": {"type": "string", "format": "uri"}}}})
        def get_forms(self, service: Service) -> list[dict[str, str]]:
            return [{"title": form.title, "url": self._origin() + form.file.url} for form in service.forms.all()]

    @extend_schema(operation_id="services_services_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, slug: str) -> Response:
        service = selectors.service_get_visible(slug)
        if service is None:
            raise Http404
        return Response(self.OutputSerializer(service).data)


class OfficeListApi(APIView):
    """Every office with its weekly hours, coming closed or special days, and whether it is open now."""

    permission_classes = [AllowAny]
    pagination_class = None  # a town has a handful of offices: one plain list (also in the schema)

    class OutputSerializer(_OfficeOutputSerializer):
        pass

    @extend_schema(operation_id="services_offices_list", responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.office_list(), many=True).data)
