"""The Pinnwand API (/api/v1/board/): read what the caller may see; post and comment as a resident.

A third-party app posts in the name of the resident whose API token it holds
(`Authorization: Token dk_…`); the same moderation rules apply as on the site.
Photos are added on the site only (the API takes text).
"""

from __future__ import annotations

from typing import Any

from api.filters import ortsgemeinde_id_from_slug
from api.pagination import ConditionalGetMixin, DefaultPagination
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
from modules.board import selectors, services
from modules.board.models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, Post, ReactionKind

_TAGS = ["board"]
_HIDDEN_HELP = "Hidden by the moderators (only its author sees it)."


class BoardNamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class BoardPhotoSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute URL on the town's domain.")
    alt = serializers.CharField(help_text="Text alternative of the photo.")


class BoardCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Plain text.")
    author = serializers.SerializerMethodField(help_text="First name and initial.")
    created_at = serializers.DateTimeField()
    hidden = serializers.BooleanField(source="is_hidden", help_text=_HIDDEN_HELP)

    def get_author(self, comment: Any) -> str:
        return services.display_name(comment.author)


class _PostOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Plain text; line breaks kept.")
    topic = BoardNamedSerializer()
    ortsgemeinde = BoardNamedSerializer(allow_null=True, help_text="Null: for the whole town.")
    author = serializers.SerializerMethodField(help_text="First name and initial.")
    url = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    hidden = serializers.BooleanField(source="is_hidden", help_text=_HIDDEN_HELP)

    def _origin(self) -> str:
        # One lookup of the town's domain per response, not one per post.
        if "origin" not in self.context:
            self.context["origin"] = town_url("")
        return self.context["origin"]

    def get_author(self, post: Post) -> str:
        return services.display_name(post.author)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, post: Post) -> str:
        return self._origin() + post.get_absolute_url()

    @extend_schema_field(BoardPhotoSerializer(many=True))
    def get_photos(self, post: Post) -> list[dict[str, str]]:
        origin = self._origin()
        return [{"url": origin + photo.image.url, "alt": photo.alt} for photo in post.photos.all()]


def _raise_validation(error: DjangoValidationError) -> None:
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


class TopicListApi(ConditionalGetMixin, APIView):
    """The topics the town defined for the board."""

    permission_classes = [AllowAny]
    pagination_class = DefaultPagination

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        slug = serializers.CharField()

    @extend_schema(operation_id="board_topics_list", responses=OutputSerializer(many=True), tags=_TAGS)
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.topic_list(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class PostListApi(APIView):
    """Posts the caller may see, newest first: town-wide ones, plus their Ortsgemeinde's when signed in."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        topic = serializers.SlugField(required=False)
        ortsgemeinde = serializers.SlugField(required=False)

    class OutputSerializer(_PostOutputSerializer):
        pass

    @extend_schema(
        operation_id="board_posts_list",
        parameters=[
            OpenApiParameter("topic", str, description="Slug of a topic."),
            OpenApiParameter(
                "ortsgemeinde", str,
                description=f"Slug of an Ortsgemeinde (its posts only), or “{selectors.TOWN_WIDE}” (town-wide only).",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OutputSerializer(many=True),
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        place: str | int | None = None
        if data.get("ortsgemeinde") == selectors.TOWN_WIDE:
            place = selectors.TOWN_WIDE
        else:
            place = ortsgemeinde_id_from_slug(data.get("ortsgemeinde"))
        if data.get("topic") and selectors.topic_get_by_slug(slug=data["topic"]) is None:
            raise ValidationError({"topic": [_("Unknown topic.")]})
        qs = selectors.post_list_visible(user=request.user, topic_slug=data.get("topic"), ortsgemeinde=place)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class PostDetailApi(APIView):
    """One post with its comments and reaction counts."""

    permission_classes = [AllowAny]

    class OutputSerializer(_PostOutputSerializer):
        comments = serializers.SerializerMethodField()
        reactions = serializers.SerializerMethodField()

        @extend_schema_field(BoardCommentSerializer(many=True))
        def get_comments(self, post: Post) -> list[dict[str, Any]]:
            comments = selectors.comment_list(post=post, user=self.context.get("user"))
            return BoardCommentSerializer(comments, many=True).data

        @extend_schema_field({
            "type": "object",
            "properties": {kind: {"type": "integer"} for kind in ReactionKind.values},
            "required": list(ReactionKind.values),
        })
        def get_reactions(self, post: Post) -> dict[str, int]:
            summary = selectors.reaction_summary(post=post, user=None)
            return {item["kind"]: item["count"] for item in summary}

    @extend_schema(operation_id="board_posts_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, pk: int) -> Response:
        post = selectors.post_get_visible(pk=pk, user=request.user)
        if post is None:
            raise Http404
        return Response(self.OutputSerializer(post, context={"user": request.user}).data)


def _post_response(request: Request, pk: int, status: int = 200) -> Response:
    post = selectors.post_get_visible(pk=pk, user=request.user)
    return Response(PostDetailApi.OutputSerializer(post, context={"user": request.user}).data, status=status)


class PostCreateApi(APIView):
    """Publish a post as the token's owner: for their Ortsgemeinde ("ortsgemeinde") or the whole town ("town")."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        topic = serializers.SlugField(help_text="Slug of one of the town's topics.")
        target = serializers.ChoiceField(choices=services.TARGETS, default=services.TARGET_ORTSGEMEINDE)

    @extend_schema(
        operation_id="board_posts_create", request=InputSerializer,
        responses={201: PostDetailApi.OutputSerializer}, tags=_TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        topic = selectors.topic_get_by_slug(slug=data["topic"])
        if topic is None:
            raise ValidationError({"topic": [_("Unknown topic.")]})
        try:
            post = services.post_create(acting_user=request.user, topic=topic, text=data["text"], target=data["target"])
        except DjangoValidationError as error:
            _raise_validation(error)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        return _post_response(request, post.pk, status=201)


class CommentCreateApi(APIView):
    """Comment on a post as the token's owner."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=COMMENT_MAX_LENGTH)

    @extend_schema(
        operation_id="board_comments_create", request=InputSerializer,
        responses={201: BoardCommentSerializer}, tags=_TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        post = selectors.post_get_visible(pk=pk, user=request.user)
        if post is None:
            raise Http404
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            comment = services.comment_create(
                post=post, acting_user=request.user, text=serializer.validated_data["text"]
            )
        except DjangoValidationError as error:
            _raise_validation(error)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        return Response(BoardCommentSerializer(comment).data, status=201)
