"""Read endpoints for the town itself (HackSoft style: one *Api class per endpoint).

Public endpoints show only what the town's website shows anyway: the town
profile, its villages and approved organisations. Nothing about residents.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import ApiToken
from api.pagination import ConditionalGetMixin, DefaultPagination
from api.selectors import organisation_get, organisation_queryset, ortsgemeinde_queryset
from core.branding import town_url
from town.models import OrganisationKind, Ortsgemeinde
from town.selectors import town_profile_get, user_ortsgemeinde_id


def absolute_file_url(file: FieldFile | None) -> str | None:
    """Absolute URL of an upload on the town's own domain (apps can't resolve relative ones)."""
    if not file:
        return None
    return town_url(file.url)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class FileUrlField(serializers.Field):
    """The absolute URL of an upload, or null when there is none."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: FieldFile) -> str | None:
        return absolute_file_url(value)


def postal_code_list(raw: str) -> list[str]:
    return [code.strip() for code in (raw or "").split(",") if code.strip()]


class OrtsgemeindeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    """The town's local contact person, as shown in every page's footer."""

    name = serializers.CharField(source="contact_name")
    role = serializers.CharField(source="contact_role")
    email = serializers.CharField(source="contact_email")
    phone = serializers.CharField(source="contact_phone")
    office_hours = serializers.CharField(source="contact_hours")
    photo_url = FileUrlField(source="contact_photo")


class TownProfileApi(ConditionalGetMixin, APIView):
    """The town: name, colours, contact person and where its legal pages are."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        tagline = serializers.CharField()
        kind = serializers.CharField(allow_blank=True)
        website_url = serializers.URLField()
        logo_url = FileUrlField(source="logo")
        header_image_url = FileUrlField(source="header_image")
        header_image_alt = serializers.CharField()
        primary_colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$")
        accent_colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$")
        contact = serializers.SerializerMethodField()
        impressum_url = serializers.URLField()
        privacy_policy_url = serializers.URLField()
        updated_at = serializers.DateTimeField(allow_null=True)

        @extend_schema_field(ContactSerializer(allow_null=True))
        def get_contact(self, profile) -> dict | None:
            if not profile.contact_name:
                return None
            return ContactSerializer(profile).data

    @extend_schema(operation_id="town_profile", responses=OutputSerializer, tags=["town"])
    def get(self, request: Request) -> Response:
        profile = town_profile_get()
        tenant = getattr(request, "tenant", None)
        profile.kind = getattr(tenant, "kind", "") or ""
        profile.website_url = town_url("/")
        profile.impressum_url = town_url(reverse("impressum"))
        profile.privacy_policy_url = town_url(reverse("privacy"))
        self.last_modified = profile.updated_at
        return Response(self.OutputSerializer(profile).data)


class OrtsgemeindeListApi(ConditionalGetMixin, APIView):
    """The villages (Ortsgemeinden) of the town."""

    permission_classes = [AllowAny]
    # Declared on the class so drf-spectacular documents the paginated envelope and page parameters.
    pagination_class = DefaultPagination

    class OutputSerializer(serializers.Serializer):
        slug = serializers.SlugField()
        name = serializers.CharField()
        postal_codes = serializers.SerializerMethodField()
        logo_url = FileUrlField(source="logo")

        def get_postal_codes(self, obj: Ortsgemeinde) -> list[str]:
            return postal_code_list(obj.postal_codes)

    @extend_schema(operation_id="ortsgemeinden_list", responses=OutputSerializer(many=True), tags=["town"])
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(ortsgemeinde_queryset(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class OrganisationOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    description = serializers.CharField()
    website = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    logo_url = FileUrlField(source="logo")
    ortsgemeinde = OrtsgemeindeRefSerializer(allow_null=True)


class OrganisationListApi(ConditionalGetMixin, APIView):
    """Approved organisations (Vereine, fire brigades, parishes, schools...), filterable by village."""

    permission_classes = [AllowAny]
    # Declared on the class so drf-spectacular documents the paginated envelope and page parameters.
    pagination_class = DefaultPagination

    class FilterSerializer(serializers.Serializer):
        ortsgemeinde = serializers.SlugField(
            required=False, help_text=_("Only organisations in this Ortsgemeinde (its slug).")
        )
        kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)

        def validate_ortsgemeinde(self, value: str) -> Ortsgemeinde:
            village = ortsgemeinde_queryset().filter(slug=value).first()
            if village is None:
                raise serializers.ValidationError(_("There is no Ortsgemeinde with this slug."))
            return village

    OutputSerializer = OrganisationOutputSerializer

    @extend_schema(
        operation_id="organisations_list",
        parameters=[FilterSerializer],
        responses=OrganisationOutputSerializer(many=True),
        tags=["town"],
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = organisation_queryset(
            ortsgemeinde=filters.validated_data.get("ortsgemeinde"), kind=filters.validated_data.get("kind", "")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class OrganisationDetailApi(ConditionalGetMixin, APIView):
    """One approved organisation."""

    permission_classes = [AllowAny]
    OutputSerializer = OrganisationOutputSerializer

    @extend_schema(operation_id="organisations_retrieve", responses=OrganisationOutputSerializer, tags=["town"])
    def get(self, request: Request, slug: str) -> Response:
        organisation = organisation_get(slug=slug)
        if organisation is None:
            raise NotFound(_("No such organisation."))
        return Response(self.OutputSerializer(organisation).data)


class MembershipSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    role = serializers.CharField()


class MeApi(APIView):
    """Who the token (or session) belongs to: lets an app check its token and the person's role."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        email = serializers.EmailField()
        role = serializers.CharField()
        is_town_admin = serializers.BooleanField()
        is_moderator = serializers.BooleanField()
        ortsgemeinde = OrtsgemeindeRefSerializer(allow_null=True)
        memberships = serializers.SerializerMethodField()
        authenticated_by = serializers.ChoiceField(choices=["token", "session"])

        @extend_schema_field(MembershipSerializer(many=True))
        def get_memberships(self, user) -> list[dict]:
            memberships = user.memberships.select_related("organisation").order_by("organisation__name")
            return MembershipSerializer(memberships, many=True).data

    @extend_schema(operation_id="me", responses=OutputSerializer, tags=["account"])
    def get(self, request: Request) -> Response:
        user = request.user
        village_id = user_ortsgemeinde_id(user)
        user.ortsgemeinde = Ortsgemeinde.objects.filter(pk=village_id).first() if village_id else None
        user.authenticated_by = "token" if isinstance(request.auth, ApiToken) else "session"
        response = Response(self.OutputSerializer(user).data)
        response["Cache-Control"] = "private, no-store"
        return response
