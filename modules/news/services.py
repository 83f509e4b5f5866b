"""Writes for news: every change to an article goes through here.

Each service checks that `acting_user` may act for the article's
organisation, sanitises the body, keeps the search index current and, when
an article becomes visible, announces it with ``core.signals.content_published``
(after the transaction commits, so listeners never see a rolled-back article).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import nh3
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.access import user_passes
from core.images import image_reencode
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from core.tenancy import current_town
from modules.news.models import Article, ArticleStatus, Category
from town.models import Organisation, Ortsgemeinde
from town.people_selectors import organisations_publishable_by
from town.people_services import user_can_publish_for, village_ids_of
from town.services import german_slugify

# --- rich text --------------------------------------------------------------

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ARTICLE_IMAGE_MAX_SIDE = 2400  # pixels; larger photos are scaled down
_HAS_MARKUP = re.compile(r"<[a-zA-Z/!]")


def body_sanitize(raw: str) -> str:
    """The article body as safe HTML.

    Only a small set of text tags survives; scripts and styles are dropped
    with their content, every attribute but a link's href is removed (so no
    event handlers or inline styles), links may only use http, https or
    mailto, and each link gets rel="noopener noreferrer". Plain text (editors
    often type or paste it) becomes paragraphs.
    """
    raw = (raw or "").strip()
    if raw and not _HAS_MARKUP.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if p.strip()]
        raw = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


# --- slugs --------------------------------------------------------------------

# Paths under /news/ and /api/v1/news/articles/ that an article slug must not shadow.
RESERVED_SLUGS = frozenset({"feed", "manage", "categories", "api", "create"})


def slug_for_title(title: str, *, exclude_pk: int | None = None) -> str:
    """A unique slug with German transliteration ("Straßenfest in Möhren" -> "strassenfest-in-moehren")."""
    base = german_slugify(title)[:200].strip("-") or "artikel"
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or Article.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# --- who may write ------------------------------------------------------------


def user_can_write_for(
    user: Any, organisation: Organisation | None, ortsgemeinden: Iterable[Ortsgemeinde | int] | None = None
) -> bool:
    """Town admins write official news and for every organisation; editors only for their own ones;
    editors of an Ortsgemeinde official news addressed to their own Ortsgemeinde only."""
    return user_can_publish_for(user, organisation, ortsgemeinden=ortsgemeinden)


def user_can_edit_article(user: Any, article: Article) -> bool:
    """May `user` change, publish or delete this article (as it is stored now)?"""
    if not user_passes(user, "editor"):
        return False  # no need to look at the article's villages (nor at the person: core.resident_pages)
    if article.organisation_id is not None or not village_ids_of(user):
        return user_can_write_for(user, article.organisation)
    return user_can_write_for(user, None, list(article.ortsgemeinden.values_list("pk", flat=True)))


def user_writes_for_villages(user: Any) -> bool:
    """Is `user` an editor of an Ortsgemeinde (they may write official news for it)?"""
    return bool(village_ids_of(user))


def organisations_writable_by(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` may publish for."""
    return organisations_publishable_by(user)


def _require_write(
    user: Any, organisation: Organisation | None, ortsgemeinden: Iterable[Ortsgemeinde | int] | None = None
) -> None:
    if not user_can_write_for(user, organisation, ortsgemeinden):
        if organisation is None and village_ids_of(user):
            raise PermissionDenied(_("You publish official news only for your own Ortsgemeinde."))
        raise PermissionDenied(_("You may not publish news for this organisation."))


def _require_edit(user: Any, article: Article) -> None:
    if not user_can_edit_article(user, article):
        raise PermissionDenied(_("You may not publish news for this organisation."))


# --- articles -------------------------------------------------------------------


def _validate(article: Article) -> None:
    errors: dict[str, str] = {}
    if not article.title.strip():
        errors["title"] = _("Please give the article a title.")
    if article.image and not article.image_alt.strip():
        errors["image_alt"] = _("Describe the image for people who cannot see it.")
    if errors:
        raise ValidationError(errors)


def _search_index_update(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("teaser", weight="B", config="german")
        + SearchVector("body", weight="C", config="german")
    )


def _announce(article: Article) -> None:
    """Send content_published inside the surrounding transaction.

    The receivers only write outbox rows (core.outbox), which commit or roll back with the article
    and reach the worker once it has committed, even if the broker is down right then.
    """
    from core.signals import content_published

    tenant = current_town()
    article_id = article.pk
    ortsgemeinde_ids = sorted(article.ortsgemeinden.values_list("pk", flat=True))

    content_published.send(sender=tenant, kind="news.article", object_id=article_id, ortsgemeinde_ids=ortsgemeinde_ids)


_EDITABLE = ("title", "teaser", "body", "body_easy", "category", "organisation", "image", "image_alt")
EASY_MAX_CHARS = 20_000


def _check_easy(body_easy: str, organisation: Any) -> str:
    """Leichte Sprache is offered for the town's official news; plain text, line breaks kept."""
    text = "\n".join(line.rstrip() for line in (body_easy or "").strip().splitlines())
    if text and organisation is not None:
        raise ValidationError({"body_easy": _("A text in Leichte Sprache can be added to official news only.")})
    if len(text) > EASY_MAX_CHARS:
        raise ValidationError({"body_easy": _("The text in Leichte Sprache is too long (at most %(max)d "
                                              "characters).") % {"max": EASY_MAX_CHARS}})
    return text


@transaction.atomic
def article_create(
    *,
    acting_user: Any,
    title: str,
    teaser: str = "",
    body: str = "",
    body_easy: str = "",
    category: Category | None = None,
    organisation: Organisation | None = None,
    ortsgemeinden: Iterable[Ortsgemeinde] = (),
    image=None,
    image_alt: str = "",
) -> Article:
    """Create a draft. Publish it with article_publish."""
    ortsgemeinden = list(ortsgemeinden)
    _require_write(acting_user, organisation, ortsgemeinden)
    article = Article(
        title=title.strip(),
        teaser=teaser.strip(),
        body=body_sanitize(body),
        body_easy=_check_easy(body_easy, organisation),
        category=category,
        organisation=organisation,
        image_alt=image_alt.strip(),
        created_by=acting_user,
    )
    if image:
        article.image = image_reencode(image, max_side=ARTICLE_IMAGE_MAX_SIDE)
    _validate(article)
    article.slug = slug_for_title(article.title)
    article.save()
    article.ortsgemeinden.set(ortsgemeinden)
    _search_index_update(article)
    return article


@transaction.atomic
def article_update(*, article: Article, acting_user: Any, data: dict[str, Any]) -> Article:
    """Change an article's content. `data` holds any of title, teaser, body, category,
    organisation, ortsgemeinden, image (a file, or False to remove it) and image_alt.

    The slug stays as it is, so links that were shared keep working.
    """
    _require_edit(acting_user, article)
    if "organisation" in data or "ortsgemeinden" in data:
        new_organisation = data["organisation"] if "organisation" in data else article.organisation
        new_places = (list(data["ortsgemeinden"]) if "ortsgemeinden" in data
                      else list(article.ortsgemeinden.values_list("pk", flat=True)))
        _require_write(acting_user, new_organisation, new_places)
    old_image_name = article.image.name if article.image else ""
    for field in _EDITABLE:
        if field not in data or field == "image":
            continue
        value = data[field]
        if field == "body":
            value = body_sanitize(value)
        elif field == "body_easy":
            value = _check_easy(value, data.get("organisation", article.organisation))
        elif isinstance(value, str):
            value = value.strip()
        setattr(article, field, value)
    if "image" in data:
        if data["image"] is False:
            article.image = None
        elif data["image"]:
            article.image = image_reencode(data["image"], max_side=ARTICLE_IMAGE_MAX_SIDE)
    _validate(article)
    article.save()
    if "ortsgemeinden" in data:
        article.ortsgemeinden.set(list(data["ortsgemeinden"]))
    _search_index_update(article)
    if old_image_name and old_image_name != (article.image.name if article.image else ""):
        delete_files_after_commit(Article._meta.get_field("image").storage, [old_image_name])
    return article


@transaction.atomic
def article_publish(*, article: Article, acting_user: Any, publish_at: datetime | None = None) -> Article:
    """Publish now, or schedule for `publish_at` when that lies in the future."""
    _require_edit(acting_user, article)
    now = timezone.now()
    was_visible = article.is_visible
    previous_status = article.status
    if publish_at is not None and publish_at > now:
        article.status = ArticleStatus.SCHEDULED
        article.publish_at = publish_at
    else:
        article.status = ArticleStatus.PUBLISHED
        # Re-publishing an already visible article keeps its original date.
        if not was_visible or article.publish_at is None:
            article.publish_at = now
    article.save(update_fields=["status", "publish_at", "updated_at"])
    # Announced on the step to "published" (a due scheduled article that the task has
    # not flipped yet was not announced either).
    if article.status == ArticleStatus.PUBLISHED and previous_status != ArticleStatus.PUBLISHED:
        _announce(article)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, acting_user: Any) -> Article:
    """Back to draft: the article disappears from lists, feeds and the API."""
    _require_edit(acting_user, article)
    article.status = ArticleStatus.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_delete(*, article: Article, acting_user: Any) -> None:
    _require_edit(acting_user, article)
    image_name = article.image.name if article.image else ""
    article.delete()
    delete_files_after_commit(Article._meta.get_field("image").storage, [image_name])


@transaction.atomic
def article_publish_due(*, now: datetime | None = None) -> list[int]:
    """Flip scheduled articles whose time has come to published; returns their ids.

    Idempotent and safe to run concurrently: rows are locked (SKIP LOCKED),
    and a second run finds nothing left to do.
    """
    now = now or timezone.now()
    due = list(
        Article.objects.select_for_update(skip_locked=True)
        .filter(status=ArticleStatus.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at")
    )
    for article in due:
        article.status = ArticleStatus.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        _announce(article)
    return [article.pk for article in due]


# --- categories (core.taxonomy) ------------------------------------------------------

CATEGORIES = Taxonomy(
    model=Category, app_name="news", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("News categories"),
        deleted=gettext_lazy("The category is deleted; its articles are kept without a category."),
        usage=ngettext_lazy("%(count)d article", "%(count)d articles", "count"),
    ),
    used_by="articles", delete_rule="detach", invalid_status=200,
    defaults=(
        ("rathaus", "Rathaus"),
        ("vereine", "Vereine"),
        ("feuerwehr", "Feuerwehr"),
        ("kirche", "Kirche"),
        ("schule", "Schule und Kita"),
        ("veranstaltungen", "Veranstaltungen"),
    ),
)


def categories_seed() -> None:
    """Give a town the usual categories the first time news is switched on."""
    terms_seed(CATEGORIES)
