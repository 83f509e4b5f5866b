"""The news API (/api/v1/news/): read for everyone, write for editors (session login for now)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
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


class ArticleOutputSerializer(serializers.Serializer):
    class ImageSerializer(serializers.Serializer):
        url = serializers.SerializerMethodField()
        alt = serializers.CharField(source="image_alt")

        def get_url(self, article: Article) -> str:
            return town_url(article.image.url)

    slug = serializers.CharField()
    title = serializers.CharField()
    teaser = serializers.CharField()
    body = serializers.CharField()  # sanitised HTML
    url = serializers.SerializerMethodField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField(source="publish_at")
    updated_at = serializers.DateTimeField()
    official = serializers.BooleanField(source="is_official")
    category = _NamedSerializer(allow_null=True)
    organisation = _NamedSerializer(allow_null=True)
    ortsgemeinden = _NamedSerializer(many=True)
    image = serializers.SerializerMethodField()

    def get_url(self, article: Article) -> str:
        return town_url(article.get_absolute_url())

    def get_image(self, article: Article) -> dict[str, str] | None:
        return self.ImageSerializer(article).data if article.image else None


class _Pagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


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
    if not services.user_can_write_for(request.user, article.organisation):
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


class ArticleListApi(APIView):
    """Visible articles, newest first. Filters: ortsgemeinde, category, organisation (slugs), search."""

    permission_classes = [AllowAny]
    OutputSerializer = ArticleOutputSerializer

    def get(self, request: Request) -> Response:
        qs = _list_queryset(request.query_params)
        paginator = _Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ArticleDetailApi(APIView):
    permission_classes = [AllowAny]
    OutputSerializer = ArticleOutputSerializer

    def get(self, request: Request, slug: str) -> Response:
        article = selectors.article_get_visible(slug=slug)
        if article is None:
            raise Http404
        return Response(self.OutputSerializer(article).data)


class ArticleCreateApi(APIView):
    """Create a draft (publish it with the publish endpoint)."""

    permission_classes = [_EditorOnly]
    InputSerializer = _ArticleInputSerializer

    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            article = services.article_create(acting_user=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            _raise_validation(error)
        return Response(ArticleOutputSerializer(selectors.article_get(slug=article.slug)).data, status=201)


class ArticleUpdateApi(APIView):
    """Change some fields of an article (the others stay)."""

    permission_classes = [_EditorOnly]

    class InputSerializer(_ArticleInputSerializer):
        pass

    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items() if key in request.data}
        try:
            services.article_update(article=article, acting_user=request.user, data=data)
        except DjangoValidationError as error:
            _raise_validation(error)
        return Response(ArticleOutputSerializer(selectors.article_get(slug=slug)).data)


class ArticlePublishApi(APIView):
    """Publish now, or schedule with {"publish_at": "<ISO 8601 in the future>"}."""

    permission_classes = [_EditorOnly]

    class InputSerializer(serializers.Serializer):
        publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.article_publish(article=article, acting_user=request.user, **serializer.validated_data)
        return Response(ArticleOutputSerializer(selectors.article_get(slug=slug)).data)


class ArticleUnpublishApi(APIView):
    permission_classes = [_EditorOnly]

    def post(self, request: Request, slug: str) -> Response:
        article = _article_for_editor(request, slug)
        services.article_unpublish(article=article, acting_user=request.user)
        return Response(ArticleOutputSerializer(selectors.article_get(slug=slug)).data)
