"""The groups API (/api/v1/groups/): groups for everyone, a group's posts for those who may read them.

A closed group's posts are 404 for everyone but its members, exactly as on the site.
"""

from __future__ import annotations

from typing import Any

from api.filters import ortsgemeinde_id_from_slug
from api.pagination import DefaultPagination
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.branding import town_url
from modules.groups import selectors, services
from modules.groups.models import POST_MAX_LENGTH, Group, Post

_TAGS = ["groups"]


class GroupsNamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class GroupsImageSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute URL on the town's domain.")
    alt = serializers.CharField(help_text="Text alternative of the photo.")


class _Origin:
    context: dict[str, Any]

    def _origin(self) -> str:
        # One lookup of the town's domain per response, not one per row.
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return self.context["origin"]


class _GroupOutputSerializer(_Origin, serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(help_text="Plain text.")
    visibility = serializers.ChoiceField(choices=["public", "closed"])
    member_count = serializers.IntegerField()
    organisation = GroupsNamedSerializer(allow_null=True, help_text="The organisation that runs the group.")
    ortsgemeinde = GroupsNamedSerializer(allow_null=True, help_text="Null: for the whole town.")
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, group: Group) -> str:
        return self._origin() + group.get_absolute_url()


class _PostOutputSerializer(_Origin, serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Plain text.")
    author = serializers.SerializerMethodField(help_text="First name and initial.")
    image = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_author(self, post: Post) -> str:
        return selectors.display_name(post.author)

    @extend_schema_field(GroupsImageSerializer(allow_null=True))
    def get_image(self, post: Post) -> dict[str, str] | None:
        if not post.image:
            return None
        return {"url": self._origin() + post.image.url, "alt": post.image_alt}

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, post: Post) -> str:
        return self._origin() + post.get_absolute_url()


class _FilterSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=100)
    ortsgemeinde = serializers.SlugField(required=False)


def _readable_group(request: Request, slug: str) -> tuple[Group, selectors.GroupAccess]:
    group = selectors.group_get(slug=slug)
    if group is None:
        raise Http404
    access = selectors.group_access(user=request.user, group=group)
    if not access.can_read:
        raise Http404
    return group, access


class GroupListApi(APIView):
    """Every group of the town (public and closed; a closed group's posts stay with its members)."""

    permission_classes = [AllowAny]

    class OutputSerializer(_GroupOutputSerializer):
        pass

    @extend_schema(
        operation_id="groups_list",
        parameters=[
            OpenApiParameter("search", str, description="Part of the group's name."),
            OpenApiParameter("ortsgemeinde", str, description="Slug of an Ortsgemeinde."),
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
        ortsgemeinde_id = ortsgemeinde_id_from_slug(data.get("ortsgemeinde"))
        qs = selectors.group_list(search=data.get("search"), ortsgemeinde_id=ortsgemeinde_id)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class GroupDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(_GroupOutputSerializer):
        pass

    @extend_schema(operation_id="groups_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, slug: str) -> Response:
        group = selectors.group_get(slug=slug)
        if group is None:
            raise Http404
        return Response(self.OutputSerializer(group).data)


class GroupPostListApi(APIView):
    """A group's posts, newest first: for every signed-in resident in a public group, for members in a closed one."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(_PostOutputSerializer):
        pass

    @extend_schema(
        operation_id="groups_posts_list",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        group, _access = _readable_group(request, slug)
        qs = selectors.post_list_visible(group=group, user=request.user)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class GroupPostCreateApi(APIView):
    """Write a post in a group you are a member of (text only; photos through the site)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        # The service checks the length again, with a message that says by how much.
        text = serializers.CharField(max_length=POST_MAX_LENGTH * 2, allow_blank=True, trim_whitespace=False)

    class OutputSerializer(_PostOutputSerializer):
        pass

    @extend_schema(
        operation_id="groups_posts_create", request=InputSerializer, responses={201: OutputSerializer}, tags=_TAGS,
    )
    def post(self, request: Request, slug: str) -> Response:
        group, access = _readable_group(request, slug)
        if not access.can_post:
            raise PermissionDenied(_("Join the group to write in it."))
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            post = services.post_create(group=group, acting_user=request.user, text=serializer.validated_data["text"])
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            raise ValidationError(detail) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        created = selectors.post_list_visible(group=group, user=request.user).get(pk=post.pk)
        return Response(self.OutputSerializer(created).data, status=201)
