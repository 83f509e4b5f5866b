"""The Abfallkalender API (/api/v1/waste/): areas and their collection dates, public and read-only."""

from __future__ import annotations

import datetime

from api.pagination import DefaultPagination
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.waste import selectors

MAX_DAYS = 400


class AreaListApi(APIView):
    """Every pickup area of the town with its Ortsgemeinde and streets (no streets: the whole Ortsgemeinde)."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        slug = serializers.CharField()
        name = serializers.CharField()
        ortsgemeinde = serializers.CharField(source="ortsgemeinde.name")
        streets = serializers.SerializerMethodField()

        def get_streets(self, area) -> list[str]:  # type: ignore[no-untyped-def]
            return [link.street.name for link in area.area_streets.all()]

    @extend_schema(operation_id="waste_areas_list", responses=OutputSerializer(many=True), tags=["waste"],
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)])
    def get(self, request: Request) -> Response:
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(selectors.area_list(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class PickupListApi(APIView):
    """Collection dates of one area, from `from` (default today) to `to` (default 90 days on, at most 400)."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        date_from = serializers.DateField(required=False)
        date_to = serializers.DateField(required=False)

    class OutputSerializer(serializers.Serializer):
        date = serializers.DateField()
        waste_type = serializers.CharField(source="waste_type.name")
        waste_type_slug = serializers.CharField(source="waste_type.slug")
        colour = serializers.CharField(source="waste_type.colour")
        moved_from = serializers.DateField(source="original_date", allow_null=True)

    @extend_schema(
        operation_id="waste_pickups_list",
        parameters=[OpenApiParameter("from", datetime.date), OpenApiParameter("to", datetime.date),
                    OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=OutputSerializer(many=True), tags=["waste"],
    )
    def get(self, request: Request, slug: str) -> Response:
        area = selectors.area_get(slug=slug)
        if area is None:
            raise NotFound
        given = {"date_from": request.query_params.get("from"), "date_to": request.query_params.get("to")}
        filters = self.FilterSerializer(data={key: value for key, value in given.items() if value})
        filters.is_valid(raise_exception=True)
        start = filters.validated_data.get("date_from") or selectors.today()
        end = filters.validated_data.get("date_to") or start + datetime.timedelta(days=90)
        if end < start or (end - start).days > MAX_DAYS:
            raise serializers.ValidationError({"to": f"At most {MAX_DAYS} days after 'from'."})
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(selectors.pickups_between(area=area, start=start, end=end), request,
                                           view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
