"""News: articles by the town hall and by organisations, sorted into categories."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.taxonomy.models import Term


class Category(Term):
    """A topic the town sorts its news into (Rathaus, Vereine, Feuerwehr ...); see core.taxonomy."""

    class Meta(Term.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    """A news article. Written only through modules.news.services (sanitising, permissions, signals)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    teaser = models.CharField(_("teaser"), max_length=400, blank=True)
    body = models.TextField(_("text"), blank=True)  # sanitised HTML (nh3), never raw input
    # The same news in Leichte Sprache (plain text, one sentence a line), for official news only: the page
    # offers it with the standard's marking and a switch back to the standard text.
    body_easy = models.TextField(_("Leichte Sprache"), blank=True)
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    # null = official news of the town; otherwise published on behalf of that organisation.
    organisation = models.ForeignKey(
        "town.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    # empty = the whole town; otherwise only these villages.
    ortsgemeinden = models.ManyToManyField(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinden"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    # When the article is (or becomes) visible; set to "now" by an immediate publish.
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # title (A), teaser (B), body (C) with the German stemmer; kept current by the services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="news_article_search_gin"),
            models.Index(fields=["status", "-publish_at"], name="news_article_visible_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("news:article-detail", kwargs={"slug": self.slug})

    @property
    def is_visible(self) -> bool:
        if self.status == ArticleStatus.PUBLISHED:
            return True
        return (
            self.status == ArticleStatus.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_official(self) -> bool:
        return self.organisation_id is None
