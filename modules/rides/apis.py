"""The Mitfahren API (/api/v1/rides/): stops with their next departures, the bus lines and the open
offers, read-only and for everyone (what the pages show to visitors). Free points of offers are
never given: only the stop, or the rounded label the pages show."""

from __future__ import annotations

from api.pagination import DefaultPagination
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.rides import bus, selectors
from modules.rides.models import Ride, Stop

_TAGS = ["rides"]
MAX_DEPARTURES = 20


class _StopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    is_bench = serializers.BooleanField()
    ortsgemeinde = serializers.CharField(source="ortsgemeinde.name", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, stop: Stop) -> str:
        return town_url(stop.get_absolute_url())


class StopListApi(APIView):
    """The town's stops: village centres, the station, Mitfahrbänke, bus stops."""

    permission_classes = [AllowAny]
    pagination_class = DefaultPagination

    class OutputSerializer(_StopSerializer):
        pass

    @extend_schema(operation_id="rides_stops_list", responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(Stop.objects.select_related("ortsgemeinde").order_by("name", "pk"),
                                           request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class StopDeparturesApi(APIView):
    """The next departures at a stop (Bürgerbus lines and the town's GTFS feed), in the town's time zone."""

    permission_classes = [AllowAny]
    pagination_class = None  # a short list, `limit` long

    class FilterSerializer(serializers.Serializer):
        limit = serializers.IntegerField(min_value=1, max_value=MAX_DEPARTURES, required=False, default=5)

    class OutputSerializer(serializers.Serializer):
        departs_at = serializers.DateTimeField(source="when")
        line = serializers.CharField(source="line.name")
        headsign = serializers.CharField()
        phone = serializers.CharField(source="line.phone", help_text="For booking a seat; may be empty.")

    @extend_schema(operation_id="rides_stops_departures", parameters=[FilterSerializer],
                   responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request, stop_id: int) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        stop = selectors.stop_get(stop_id)
        if stop is None:
            raise Http404
        found = bus.next_departures(stop=stop, limit=filters.validated_data["limit"])
        return Response(self.OutputSerializer(found, many=True).data)


class OfferListApi(APIView):
    """Open ride offers (one-off rides still ahead and regular rides), as listed on /rides/."""

    permission_classes = [AllowAny]
    pagination_class = DefaultPagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        origin = serializers.CharField(source="from_label")
        origin_stop = serializers.IntegerField(source="from_stop_id", allow_null=True)
        destination = serializers.CharField(source="to_label")
        destination_stop = serializers.IntegerField(source="to_stop_id", allow_null=True)
        date = serializers.DateField(allow_null=True, help_text="For a one-off ride; null for a regular one.")
        weekdays = serializers.ListField(child=serializers.IntegerField(), source="weekday_list",
                                         help_text="0 = Monday … 6 = Sunday, for a regular ride.")
        time = serializers.SerializerMethodField(help_text="Local time of departure, HH:MM (the town's time zone).")
        seats = serializers.IntegerField()
        url = serializers.SerializerMethodField()

        @extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"})
        def get_time(self, ride: Ride) -> str:
            return ride.time.strftime("%H:%M")

        @extend_schema_field({"type": "string", "format": "uri"})
        def get_url(self, ride: Ride) -> str:
            return town_url(ride.get_absolute_url())

    @extend_schema(operation_id="rides_offers_list", responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.offer_list_upcoming(limit=200), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
