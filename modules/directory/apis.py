"""The directory API (/api/v1/directory/): read-only, for everyone. Only approved, published businesses."""

from __future__ import annotations

import hashlib
from typing import Any

from api.fields import WallClockField
from api.filters import ortsgemeinde_id_from_slug
from api.pagination import DefaultPagination
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import opening_hours
from core.branding import town_url
from modules.directory import selectors
from modules.directory.models import Business

_TAGS = ["directory"]


# Component names are global in the OpenAPI document: every serializer here starts with "Directory".
class DirectoryNamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class DirectoryIntervalSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday.")
    opens = WallClockField()
    closes = WallClockField()
    closes_next_day = serializers.BooleanField(help_text="The interval runs past midnight.")


class DirectoryAddressSerializer(serializers.Serializer):
    street = serializers.CharField()
    postal_code = serializers.CharField()
    locality = serializers.CharField()


class DirectoryBusinessOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = serializers.SerializerMethodField()
    categories = DirectoryNamedSerializer(many=True)
    ortsgemeinde = DirectoryNamedSerializer(allow_null=True)
    address = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    phone = serializers.CharField()
    website = serializers.CharField()
    email = serializers.CharField()
    delivers = serializers.BooleanField()
    pickup = serializers.BooleanField()
    delivery_notes = serializers.CharField()
    opening_hours = DirectoryIntervalSerializer(many=True, source="opening_intervals.all")
    is_open_now = serializers.SerializerMethodField(help_text="Computed in Europe/Berlin, holidays included.")
    updated_at = serializers.DateTimeField()

    def _origin(self) -> str:
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return self.context["origin"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, business: Business) -> str:
        return self._origin() + business.get_absolute_url()

    @extend_schema_field(DirectoryAddressSerializer)
    def get_address(self, business: Business) -> dict[str, str]:
        return {"street": business.street, "postal_code": business.postal_code, "locality": business.locality}

    @extend_schema_field(serializers.BooleanField())
    def get_is_open_now(self, business: Business) -> bool:
        if "now" not in self.context:
            self.context["now"] = timezone.now()
        intervals, exceptions = selectors.hours_of(business)
        return opening_hours.is_open_at(self.context["now"], intervals, exceptions)


class DirectoryFilterSerializer(serializers.Serializer):
    category = serializers.SlugField(required=False)
    ortsgemeinde = serializers.SlugField(required=False)
    open_now = serializers.BooleanField(required=False, default=False)
    delivers = serializers.BooleanField(required=False, default=False)
    search = serializers.CharField(required=False, max_length=200)


def _list_queryset(params: Any):
    filters = DirectoryFilterSerializer(data=params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    ortsgemeinde_id = ortsgemeinde_id_from_slug(data.get("ortsgemeinde"))
    return selectors.business_list_visible(
        category_slug=data.get("category"),
        ortsgemeinde_id=ortsgemeinde_id,
        delivers=data["delivers"],
        search=data.get("search"),
        open_at=timezone.now() if data["open_now"] else None,
        with_hours=True,
    ).prefetch_related("categories")


def _etag(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _minute() -> str:
    # "Open now" changes with the clock: an ETag is valid for the current minute at most.
    return timezone.now().strftime("%Y%m%d%H%M")


def list_etag(request: Any, *args: Any, **kwargs: Any) -> str | None:
    try:
        qs = _list_queryset(request.GET)
    except ValidationError:
        return None
    return _etag("list", request.GET.urlencode(), _minute(), *selectors.business_list_fingerprint(qs))


def detail_etag(request: Any, slug: str) -> str | None:
    business = selectors.business_get_visible(slug=slug)
    return _etag("detail", slug, _minute(), business.updated_at.isoformat()) if business else None


class BusinessListApi(APIView):
    """Approved businesses by name. Filters: category, ortsgemeinde (slugs), open_now, delivers, search."""

    permission_classes = [AllowAny]

    class OutputSerializer(DirectoryBusinessOutputSerializer):
        pass

    @extend_schema(
        operation_id="directory_businesses_list",
        parameters=[
            OpenApiParameter("category", str, description="Slug of a category."),
            OpenApiParameter("ortsgemeinde", str, description="Slug: only businesses of this village."),
            OpenApiParameter("open_now", bool, description="Only businesses open right now (Europe/Berlin)."),
            OpenApiParameter("delivers", bool, description="Only businesses that deliver."),
            OpenApiParameter("search", str, description="Full-text search (German stemming)."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        qs = _list_queryset(request.query_params)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class BusinessDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(DirectoryBusinessOutputSerializer):
        pass

    @extend_schema(operation_id="directory_businesses_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, slug: str) -> Response:
        business = selectors.business_get_visible(slug=slug)
        if business is None:
            raise Http404
        return Response(self.OutputSerializer(business).data)
