"""The Mitbringdienst API (/api/v1/errands/): open requests, without personal data beyond a first name and village."""

from __future__ import annotations

from typing import Any

from api.filters import ortsgemeinde_id_from_slug
from api.pagination import ConditionalGetMixin, DefaultPagination
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.errands import selectors
from modules.errands.models import ErrandRequest
from town.selectors import user_ortsgemeinde_id


class _ErrandOrtsgemeindeSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class OpenErrandListApi(ConditionalGetMixin, APIView):
    """Open requests whose time window has not passed; with a signed-in person's token, their Ortsgemeinde first.

    Only the first name of the person asking and their Ortsgemeinde are shown: no
    surname, address, e-mail or amount.
    """

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        ortsgemeinde = serializers.SlugField(required=False)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        first_name = serializers.SerializerMethodField()
        ortsgemeinde = _ErrandOrtsgemeindeSerializer(allow_null=True)
        items = serializers.ListField(child=serializers.CharField(), source="item_list")
        shop = serializers.CharField(source="shop_name")
        window_start = serializers.DateTimeField()
        window_end = serializers.DateTimeField()
        url = serializers.SerializerMethodField()

        def get_first_name(self, errand: ErrandRequest) -> str:
            return errand.requester.get_short_name()

        @extend_schema_field({"type": "string", "format": "uri"})
        def get_url(self, errand: ErrandRequest) -> str:
            context = self.context  # shared by every item of a list: one domain lookup per response
            if "origin" not in context:
                context["origin"] = town_url("")
            return context["origin"] + errand.get_absolute_url()

    @extend_schema(
        operation_id="errands_requests_list",
        parameters=[
            OpenApiParameter("ortsgemeinde", str, description="Slug: only requests from this Ortsgemeinde."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True),
        tags=["errands"],
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        ortsgemeinde_id = ortsgemeinde_id_from_slug(filters.validated_data.get("ortsgemeinde"))
        qs = selectors.errand_list_open(
            viewer=request.user,
            home_ortsgemeinde_id=user_ortsgemeinde_id(request.user),
            ortsgemeinde_id=ortsgemeinde_id,
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        context: dict[str, Any] = {}
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True, context=context).data)
