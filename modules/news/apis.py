"""The news API (/api/v1/news/): read for everyone, write for editors (session login for now)."""

from __future__ import annotations

import hashlib
from typing import Any

from api.pagination import DefaultPagination
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

from core.access import user_passes
from core.branding import town_url
from modules.news import selectors, services
from modules.news.models import Article, Category
from town.models import Organisation, Ortsgemeinde

# --- shared pieces -------------------------------------------------------------------


class _NamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class _ImageSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute URL on the town's domain.")
    alt = serializers.CharField(help_text="Text alternative of the picture.")


class _ArticleOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    teaser = serializers.CharField()
    body = serializers.CharField(help_text="Sanitised HTML (p, h2, h3, ul, ol, li, strong, em, a, blockquote, br).")
    url = serializers.SerializerMethodField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField(source="publish_at", allow_null=True)
    updated_at = serializers.DateTimeField()
    official = serializers.BooleanField(source="is_official", help_text="News of the town itself, not of a club.")
    category = _NamedSerializer(allow_null=True)
    organisation = _NamedSerializer(allow_null=True)
    ortsgemeinden = _NamedSerializer(many=True, help_text="Empty: the article is for the whole town.")
    image = serializers.SerializerMethodField()

    def _origin(self) -> str:
        # One lookup of the town's domain per response, not one per article.
        context = self.context  # the root serializer's dict, shared by every item of a list
        if "origin" not in context:
            context["origin"] = town_url("")
        return context["origin"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, article: Article) -> str:
        return self._origin() + article.get_absolute_url()

    @extend_schema_field(_ImageSerializer(allow_null=True))
    def get_image(self, article: Article) -> dict[str, str] | None:
        if not article.image:
            return None
        return {"url": self._origin() + article.image.url, "alt": article.image_alt}


class _FilterSerializer(serializers.Serializer):
    ortsgemeinde = serializers.SlugField(required=False)
    category = serializers.SlugField(required=False)
    organisation = serializers.SlugField(required=False)
    search = serializers.CharField(required=False, max_length=200)


def _list_queryset(params: Any):
    filters = _FilterSerializer(data=params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    ortsgemeinde_id = organisation_id = None
    if data.get("ortsgemeinde"):
        ortsgemeinde = selectors.ortsgemeinde_get(slug=data["ortsgemeinde"])
        if ortsgemeinde is None:
            raise ValidationError({"ortsgemeinde": [_("Unknown Ortsgemeinde.")]})
        ortsgemeinde_id = ortsgemeinde.pk
    if data.get("organisation"):
        organisation_id = Organisation.objects.filter(slug=data["organisation"]).values_list("pk", flat=True).first()
        if organisation_id is None:
            raise ValidationError({"organisation": [_("Unknown organisation.")]})
    return selectors.article_list_visible(
        ortsgemeinde_id=ortsgemeinde_id,
        category_slug=data.get("category"),
        organisation_id=organisation_id,
        search=data.get("search"),
    )


def _etag(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def list_etag(request: Any, *args: Any, **kwargs: Any) -> str | None:
    """Changes whenever the list for these query parameters can change (new, edited, due or removed articles)."""
    try:
        qs = _list_queryset(request.GET)
    except ValidationError:
        return None
    return _etag("list", request.GET.urlencode(), *selectors.article_list_fingerprint(qs))


def detail_etag(request: Any, slug: str) -> str | None:
    article = selectors.article_get_visible(slug=slug)
    return _etag("detail", slug, article.updated_at.isoformat(), article.status) if article else None


def detail_last_modified(request: Any, slug: str):
    article = selectors.article_get_visible(slug=slug)
    return article.updated_at if article else None


def _raise_validation(error: DjangoValidationError) -> None:
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


class _EditorOnly(IsAuthenticated):
    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and user_passes(request.user, "editor")


def _article_for_editor(request: Request, slug: str) -> Article:
    article = selectors.article_get(slug=slug)
    if article is None:
        raise Http404
    if not services.user_can_edit_article(request.user, article):
        raise PermissionDenied(_("You may not edit news of this organisation."))
    return article


class _ArticleInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    teaser = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True, default=None
    )
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    ortsgemeinden = serializers.SlugRelatedField(
        slug_field="slug", queryset=Ortsgemeinde.objects.all(), many=True, required=False, default=list
    )


# --- endpoints ------------------------------------------------------------------------


_TAGS = ["news"]


class ArticleListApi(APIView):
    """Visible articles, newest first. Filters: ortsgemeinde, category, organisation (slugs), search."""

    permission_classes = [AllowAny]

    class OutputSerializer(_ArticleOutputSerializer):
        pass

    @extend_schema(
        operation_id="news_articles_list",
        parameters=[
            OpenApiParameter("ortsgemeinde", str, description="Slug: town-wide articles plus this village's."),
            OpenApiParameter("category", str, description="Slug of a category."),
            OpenApiParameter("organisation", str, description="Slug of the publishing organisation."),
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


class ArticleDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(_ArticleOutputSerializer):
        pass

    @extend_schema(operation_id="news_articles_retrieve", responses=OutputSerializer, tags=_TAGS)
    def get(self, request: Request, slug: str) -> Response:
        article = selectors.article_get_visible(slug=slug)
        if article is None:
            raise Http404
        return Response(self.OutputSerializer(article).data)


def _article_response(slug: str, status: int = 200) -> Response:
    return Response(ArticleDetailApi.OutputSerializer(selectors.article_get(slug=slug)).data, status=status)


class ArticleCreateApi(APIView):
    """Create a draft (publish it with the publish endpoint). Town admins may leave out the
    organisation (official news); editors must name one of their own."""

    permission_classes = [_EditorOnly]

    class InputSerializer(_ArticleInputSerializer):
        pass

    @extend_schema(
        operation_id="news_articles_create", request=InputSerializer,
        responses={201: ArticleDetailApi.OutputSerializer}, tags=_TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            article = services.article_create(acting_user=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            _raise_validation(error)
        return _article_response(article.slug, status=201)


class ArticleUpdateApi(APIView):
    """Change some fields of an article (the others stay)."""

    permission_classes = [_EditorOnly]

    class InputSerializer(_ArticleInputSerializer):
        pass

    @extend_schema(
        operation_id="news_articles_update", request=InputSerializer,
        responses=ArticleDetailApi.OutputSerializer, tags=_TAGS,
    )
    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items() if key in request.data}
        try:
            services.article_update(article=article, acting_user=request.user, data=data)
        except DjangoValidationError as error:
            _raise_validation(error)
        return _article_response(slug)


class ArticlePublishApi(APIView):
    """Publish now, or schedule with {"publish_at": "<ISO 8601 in the future>"}."""

    permission_classes = [_EditorOnly]

    class InputSerializer(serializers.Serializer):
        publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(
        operation_id="news_articles_publish", request=InputSerializer,
        responses=ArticleDetailApi.OutputSerializer, tags=_TAGS,
    )
    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.article_publish(article=article, acting_user=request.user, **serializer.validated_data)
        return _article_response(slug)


class ArticleUnpublishApi(APIView):
    """Back to draft: gone from lists, feeds and the API."""

    permission_classes = [_EditorOnly]

    @extend_schema(
        operation_id="news_articles_unpublish", request=None,
        responses=ArticleDetailApi.OutputSerializer, tags=_TAGS,
    )
    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        services.article_unpublish(article=article, acting_user=request.user)
        return _article_response(slug)
