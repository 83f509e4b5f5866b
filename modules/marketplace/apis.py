"""The Suche & Biete API (/api/v1/marketplace/): public reads of current listings, with ETags."""

from __future__ import annotations

from typing import Any

from api.pagination import ConditionalGetMixin, DefaultPagination
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.marketplace import selectors, services
from modules.marketplace.models import Listing, ListingKind, ListingType
from town.models import Ortsgemeinde

_TAGS = ["marketplace"]


class MarketplaceNamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class MarketplacePhotoSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute URL on the town's domain.")
    alt = serializers.CharField(help_text="Text alternative of the photo.")


class MarketplacePriceSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["none", "fixed", "negotiable", "free"])
    amount_cents = serializers.IntegerField(allow_null=True, help_text="Integer cents; null without an amount.")
    currency = serializers.CharField()
    display = serializers.CharField(help_text="As shown on the site, e.g. “12,50 €”.")


class _ListingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="offer or request")
    type = serializers.CharField(source="listing_type", help_text="give_away, lend, sell, swap or help")
    title = serializers.CharField()
    description = serializers.CharField(help_text="Plain text.")
    status = serializers.CharField(help_text="active or reserved")
    url = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField(help_text="Organisation name, or the person's first name and initial.")
    category = MarketplaceNamedSerializer(allow_null=True)
    ortsgemeinde = MarketplaceNamedSerializer(allow_null=True, help_text="Null: anywhere in the town.")
    price = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def _origin(self) -> str:
        # One lookup of the town's domain per response, not one per listing.
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return self.context["origin"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, listing: Listing) -> str:
        return self._origin() + listing.get_absolute_url()

    def get_author(self, listing: Listing) -> str:
        return listing.organisation.name if listing.organisation_id else services.display_name(listing.owner)

    @extend_schema_field(MarketplacePriceSerializer)
    def get_price(self, listing: Listing) -> dict[str, Any]:
        return {"mode": listing.price_mode, "amount_cents": listing.price_cents, "currency": listing.currency,
                "display": listing.price_display}

    @extend_schema_field(MarketplacePhotoSerializer(many=True))
    def get_photos(self, listing: Listing) -> list[dict[str, str]]:
        origin = self._origin()
        return [{"url": origin + photo.image.url, "alt": photo.alt} for photo in listing.photos.all()]


class _FilterSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=200)
    kind = serializers.ChoiceField(choices=ListingKind.values, required=False)
    type = serializers.ChoiceField(choices=ListingType.values, required=False)
    category = serializers.SlugField(required=False)
    ortsgemeinde = serializers.SlugField(required=False)
    free = serializers.BooleanField(required=False, default=False)


class ListingListApi(ConditionalGetMixin, APIView):
    """Current listings, newest first (best match first with `search`)."""

    permission_classes = [AllowAny]

    class OutputSerializer(_ListingOutputSerializer):
        pass

    @extend_schema(
        operation_id="marketplace_listings_list",
        parameters=[
            OpenApiParameter("search", str, description="Full-text search (German stemming)."),
            OpenApiParameter("kind", str, enum=ListingKind.values),
            OpenApiParameter("type", str, enum=ListingType.values),
            OpenApiParameter("category", str, description="Slug of a category."),
            OpenApiParameter("ortsgemeinde", str, description="Slug: this village's listings plus town-wide ones."),
            OpenApiParameter("free", bool, description="Only things given away for free."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        filters = _FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        ortsgemeinde_id = None
        if data.get("ortsgemeinde"):
            places = Ortsgemeinde.objects.filter(slug=data["ortsgemeinde"])
            ortsgemeinde_id = places.values_list("pk", flat=True).first()
            if ortsgemeinde_id is None:
                raise serializers.ValidationError({"ortsgemeinde": ["Unknown Ortsgemeinde."]})
        qs = selectors.listing_list_public(
            search=data.get("search"), kind=data.get("kind"), listing_type=data.get("type"),
            category_slug=data.get("category"), ortsgemeinde_id=ortsgemeinde_id, free_only=data["free"],
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ListingDetailApi(ConditionalGetMixin, APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(_ListingOutputSerializer):
        pass

    @extend_schema(operation_id="marketplace_listings_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, pk: int) -> Response:
        listing = selectors.listing_get_public(pk=pk)
        if listing is None:
            raise Http404
        self.last_modified = listing.updated_at
        return Response(self.OutputSerializer(listing).data)
