"""The events API (/api/v1/events/): dates for everyone, publishing for editors (HackSoft style)."""

from __future__ import annotations

import datetime
from typing import Any

from api.pagination import DefaultPagination
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import user_passes
from core.branding import town_url
from core.calendar import TOWN_TZ
from core.page_cache import cached
from modules.events import selectors, services
from modules.events.models import Category, Event, Venue
from town.models import Organisation, Ortsgemeinde

_TAGS = ["events"]
MAX_DAYS = 366


class _EventNamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class _EventOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Sanitised HTML.")
    url = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    all_day = serializers.BooleanField()
    rrule = serializers.CharField(help_text="RFC 5545 recurrence rule without 'RRULE:', empty for a single event.")
    cancelled_dates = serializers.ListField(child=serializers.DateField())
    cancelled = serializers.BooleanField(source="is_cancelled")
    place = serializers.CharField()
    ortsgemeinde = _EventNamedSerializer(allow_null=True)
    category = _EventNamedSerializer(allow_null=True)
    organisation = _EventNamedSerializer(allow_null=True)
    is_free = serializers.BooleanField()
    price = serializers.CharField()
    step_free = serializers.BooleanField()
    hearing_loop = serializers.BooleanField()
    registration = serializers.BooleanField(source="registration_enabled")
    capacity = serializers.IntegerField(allow_null=True)

    def _origin(self) -> str:
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return self.context["origin"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, event: Event) -> str:
        return self._origin() + event.get_absolute_url()


class _OccurrenceOutputSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    cancelled = serializers.BooleanField()
    event = _EventOutputSerializer()


class _FilterSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    ortsgemeinde = serializers.SlugField(required=False)
    category = serializers.SlugField(required=False)
    organisation = serializers.SlugField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localtime(timezone.now(), TOWN_TZ).date()
        data.setdefault("start", today)
        data.setdefault("end", data["start"] + datetime.timedelta(days=92))
        if data["end"] < data["start"]:
            raise ValidationError({"end": ["The end lies before the start."]})
        if (data["end"] - data["start"]).days > MAX_DAYS:
            raise ValidationError({"end": [f"At most {MAX_DAYS} days at once."]})
        return data


class OccurrenceListApi(APIView):
    """Every date of the public events between start and end (series expanded), in time order."""

    permission_classes = [AllowAny]

    class OutputSerializer(_OccurrenceOutputSerializer):
        pass

    @extend_schema(
        operation_id="events_occurrences_list",
        parameters=[
            OpenApiParameter("start", datetime.date, description="First day (default: today)."),
            OpenApiParameter("end", datetime.date, description="Last day (default: start + 92 days, at most 366)."),
            OpenApiParameter("ortsgemeinde", str, description="Slug: town-wide events plus this village's."),
            OpenApiParameter("category", str), OpenApiParameter("organisation", str),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True), tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        filters = _FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        ortsgemeinde_id = organisation_id = None
        if data.get("ortsgemeinde"):
            ortsgemeinde_id = (Ortsgemeinde.objects.filter(slug=data["ortsgemeinde"])
                               .values_list("pk", flat=True).first())
            if ortsgemeinde_id is None:
                raise ValidationError({"ortsgemeinde": ["Unknown Ortsgemeinde."]})
        if data.get("organisation"):
            organisation_id = (Organisation.objects.filter(slug=data["organisation"])
                               .values_list("pk", flat=True).first())
            if organisation_id is None:
                raise ValidationError({"organisation": ["Unknown organisation."]})
        window = selectors.day_window(data["start"], data["end"])
        filters = {"ortsgemeinde_id": ortsgemeinde_id, "category_slug": data.get("category"),
                   "organisation_id": organisation_id}
        paginator = DefaultPagination()

        def page_build() -> tuple[int, list[Any]]:
            found = selectors.occurrence_list(*window, **filters)
            page = paginator.paginate_queryset(found, request, view=self)  # type: ignore[arg-type]  # 404 if none
            return len(found), list(self.OutputSerializer(page, many=True).data)

        # The serialised page, cached per town until an event, venue or organisation changes: querying,
        # expanding the series and serialising 20 nested events was nearly all of a request's cost.
        name = (f"events-api-occurrences:{window[0].isoformat()}:{window[1].isoformat()}:"
                f"{timezone.get_current_timezone_name()}:{filters['ortsgemeinde_id']}:{filters['category_slug']}:"
                f"{filters['organisation_id']}:{paginator.get_page_size(request)}:"
                f"{request.query_params.get(paginator.page_query_param, 1)}")
        count, results = cached(name, ("events", "town"), page_build, seconds=selectors.ROWS_SECONDS)
        if getattr(paginator, "page", None) is None:  # from the cache: the links and count need the paginator's page
            paginator.paginate_queryset(range(count), request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(results)


class EventDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(_EventOutputSerializer):
        pass

    @extend_schema(operation_id="events_events_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_get_visible(slug=slug)
        if event is None:
            raise Http404
        return Response(self.OutputSerializer(event).data)


class _EditorOnly(IsAuthenticated):
    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and user_passes(request.user, "editor")


class EventCreateApi(APIView):
    """Create an event (published at once unless "publish": false). Editors name one of their organisations."""

    permission_classes = [_EditorOnly]

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        description = serializers.CharField(required=False, allow_blank=True, default="")
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        all_day = serializers.BooleanField(required=False, default=False)
        rrule = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
        address = serializers.CharField(required=False, allow_blank=True, default="", max_length=250)
        venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), required=False, allow_null=True,
                                                   default=None)
        ortsgemeinde = serializers.SlugRelatedField(slug_field="slug", queryset=Ortsgemeinde.objects.all(),
                                                    required=False, allow_null=True, default=None)
        category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), required=False,
                                                allow_null=True, default=None)
        organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                    required=False, allow_null=True, default=None)
        is_free = serializers.BooleanField(required=False, default=True)
        price = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
        registration_enabled = serializers.BooleanField(required=False, default=False)
        capacity = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
        publish = serializers.BooleanField(required=False, default=True)

    @extend_schema(operation_id="events_events_create", request=InputSerializer,
                   responses={201: EventDetailApi.OutputSerializer}, tags=_TAGS)
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            event = services.event_create(acting_user=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict")
                                  else {"detail": error.messages}) from error
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error
        return Response(EventDetailApi.OutputSerializer(selectors.event_get(slug=event.slug)).data, status=201)
