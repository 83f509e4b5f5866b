"""Pages of the news module: the public list and detail, and the editors' back office."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.branding import town_url
from core.forms import apply_service_errors
from core.paging import page_of
from modules.news import selectors, services
from modules.news.facade import articles_for_organisation
from modules.news.forms import ArticleFilterForm, ArticleForm, ArticlePublishForm
from modules.news.models import Article
from town.selectors import ortsgemeinde_list, town_profile_get, user_ortsgemeinde_id

LIST_PAGE_SIZE = 10
MANAGE_PAGE_SIZE = 25
HOME_WIDGET_SIZE = 5


# --- public pages -----------------------------------------------------------------


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    categories = selectors.category_list()
    ortsgemeinden = ortsgemeinde_list()
    home_id = user_ortsgemeinde_id(request.user) if ortsgemeinden else None
    form = ArticleFilterForm(
        request.GET, categories=categories, ortsgemeinden=ortsgemeinden, has_home=home_id is not None
    )
    form.is_valid()  # an unknown filter value is simply ignored; the valid ones still apply
    data = form.cleaned_data

    chosen = data.get("ortsgemeinde") or ""
    ortsgemeinde = next((o for o in ortsgemeinden if o.slug == chosen), None)
    if ortsgemeinde is None and not chosen and home_id is not None:
        # No choice made: a resident sees their own village's news plus the town's.
        ortsgemeinde = next((o for o in ortsgemeinden if o.pk == home_id), None)
    ortsgemeinde_id = ortsgemeinde.pk if ortsgemeinde else None

    search = data.get("q") or None
    articles = selectors.article_list_visible(
        ortsgemeinde_id=ortsgemeinde_id, category_slug=data.get("category") or None, search=search,
        with_targets=False, card_fields_only=True,
    )
    # "Newer / older" needs no COUNT of every visible article; only a search says how many it found.
    page = page_of(articles, LIST_PAGE_SIZE, request.GET.get("page"))
    found = articles.count() if search else None
    query = request.GET.copy()
    query.pop("page", None)
    feeds = _feed_links(ortsgemeinde)
    return render(
        request,
        "news/article_list.html",
        {
            "form": form,
            "page": page,
            "articles": page.object_list,
            "query": query.urlencode(),
            "ortsgemeinde": ortsgemeinde,
            "search": search or "",
            "found": found,
            "feeds": feeds,
            "has_ortsgemeinden": bool(ortsgemeinden),
        },
    )


def _feed_links(ortsgemeinde: Any) -> list[dict[str, str]]:
    town_name = town_profile_get().name
    links = [
        {"type": "application/rss+xml", "title": _("%(town)s: news (RSS)") % {"town": town_name},
         "href": reverse("news:feed-rss")},
        {"type": "application/atom+xml", "title": _("%(town)s: news (Atom)") % {"town": town_name},
         "href": reverse("news:feed-atom")},
    ]
    if ortsgemeinde is not None:
        kwargs = {"ortsgemeinde": ortsgemeinde.slug}
        links += [
            {"type": "application/rss+xml", "title": _("%(place)s: news (RSS)") % {"place": ortsgemeinde.name},
             "href": reverse("news:feed-ortsgemeinde-rss", kwargs=kwargs)},
            {"type": "application/atom+xml", "title": _("%(place)s: news (Atom)") % {"place": ortsgemeinde.name},
             "href": reverse("news:feed-ortsgemeinde-atom", kwargs=kwargs)},
        ]
    return links


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_get_visible(slug=slug)
    preview = False
    if article is None:
        # Editors may look at their drafts and scheduled articles; everyone else gets a plain 404.
        article = selectors.article_get(slug=slug)
        if article is None or not services.user_can_edit_article(request.user, article):
            raise Http404
        preview = True
    json_ld = article_json_ld(article)
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "preview": preview,
            # ?fassung=leicht shows the Leichte-Sprache text instead of the standard one (a link, no script).
            "easy": bool(article.body_easy) and request.GET.get("fassung") == "leicht",
            "can_edit": services.user_can_edit_article(request.user, article),
            "json_ld": None if preview else _json_ld_script(json_ld),
            "canonical_url": json_ld["url"],
        },
    )


def article_json_ld(article: Article) -> dict[str, Any]:
    """schema.org NewsArticle data for search engines, with absolute URLs on the town's domain."""
    town = town_profile_get()
    origin = town_url("")
    logo_url = origin + (town.logo.url if town.logo else reverse("town:icon", args=[512]))
    publisher = {
        "@type": "Organization",
        "name": town.name,
        "url": origin + "/",
        "logo": {"@type": "ImageObject", "url": logo_url},
    }
    if article.organisation_id:
        author: dict[str, Any] = {"@type": "Organization", "name": article.organisation.name}
        if article.organisation.website:
            author["url"] = article.organisation.website
    else:
        author = {"@type": "Organization", "name": town.name, "url": origin + "/"}
    url = origin + article.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [author],
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "inLanguage": "de",
    }
    if article.teaser:
        data["description"] = article.teaser
    if article.image:
        data["image"] = [origin + article.image.url]
    if article.category_id:
        data["articleSection"] = article.category.name
    return data


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld_script(data: dict[str, Any]) -> str:
    # Same escaping as Django's json_script, so "</script>" in a title cannot end the block.
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def home_widget(request: HttpRequest) -> str:
    """The latest articles for the start page: the resident's village plus town-wide news (one query)."""
    articles = list(
        selectors.article_list_visible(ortsgemeinde_id=user_ortsgemeinde_id(request.user), with_targets=False)[
            :HOME_WIDGET_SIZE
        ]
    )
    if not articles:
        return ""
    return render_to_string("news/widget.html", {"articles": articles}, request=request)


# --- back office: articles ---------------------------------------------------------


def _manageable_article(request: HttpRequest, slug: str) -> Article:
    article = selectors.article_get(slug=slug)
    if article is None:
        raise Http404
    if not services.user_can_edit_article(request.user, article):
        raise PermissionDenied
    return article


@role_required("editor")
@require_GET
def article_notice(request: HttpRequest, slug: str) -> HttpResponse:
    """The Aushang of one article: an A4 notice for a notice board, with a QR code to its page."""
    from django.utils.formats import date_format
    from django.utils.html import strip_tags

    from core.branding import town_url
    from core.printing import notice_pdf, pdf_response

    article = _manageable_article(request, slug)
    text = " ".join(part for part in (article.teaser, strip_tags(article.body)) if part)
    when = date_format(timezone.localtime(article.publish_at), "j. F Y") if article.publish_at else ""
    kind = article.organisation.name if article.organisation_id else _("News from the town hall")
    pdf = notice_pdf(title=article.title, text=text, url=town_url(article.get_absolute_url()), when=when, kind=kind)
    return pdf_response(pdf, f"aushang-{article.slug}.pdf")


@role_required("editor")
@require_GET
def article_manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.article_list_manageable(user=request.user), MANAGE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "news/manage/article_list.html", {"page": page, "articles": page.object_list})


@role_required("editor")
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user,
                       initial=_create_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_create(
                acting_user=request.user,
                title=data["title"],
                teaser=data["teaser"],
                body=data["body"],
                body_easy=data["body_easy"],
                category=data["category"],
                organisation=data["organisation"],
                ortsgemeinden=data["ortsgemeinden"],
                image=data["image"] or None,
                image_alt=data["image_alt"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Publish it when it is ready."))
            return redirect("news:article-edit", slug=article.slug)
    return render(request, "news/manage/article_form.html", {
        "form": form, "article": None, "first_post": request.GET.get("erster") == "1",
        "first_post_for": _first_post_for(form),
    })


def _create_initial(request: HttpRequest) -> dict[str, Any]:
    """Preselect what a link asks for ("write your first post" after an invitation), if allowed."""
    initial: dict[str, Any] = {}
    organisation = request.GET.get("organisation", "")
    if organisation.isdigit() and services.organisations_writable_by(request.user).filter(pk=organisation).exists():
        initial["organisation"] = int(organisation)
    ortsgemeinde = request.GET.get("ortsgemeinde", "")
    if ortsgemeinde.isdigit():
        initial["ortsgemeinden"] = [int(ortsgemeinde)]
    return initial


def _first_post_for(form: ArticleForm) -> str:
    """The name of the Verein or village the first post is preselected for, for the heading."""
    organisation = form.initial.get("organisation")
    if organisation:
        found = form.fields["organisation"].queryset.filter(pk=organisation).first()
        return found.name if found else ""
    places = form.initial.get("ortsgemeinden") or []
    if places:
        found = form.fields["ortsgemeinden"].queryset.filter(pk=places[0]).first()
        return found.name if found else ""
    return ""


@role_required("editor")
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _manageable_article(request, slug)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # An untouched file field returns the stored file: only a new upload or a removal counts.
        if data.get("image") is not False and not hasattr(data.get("image"), "content_type"):
            data.pop("image", None)
        # ModelForm.is_valid() copied the raw values onto the instance; start from the stored row.
        article.refresh_from_db()
        try:
            services.article_update(article=article, acting_user=request.user, data=data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("news:article-edit", slug=article.slug)
    return render(
        request,
        "news/manage/article_form.html",
        {"form": form, "article": article, "publish_form": ArticlePublishForm()},
    )


@role_required("editor")
@require_POST
def article_publish(request: HttpRequest, slug: str) -> HttpResponse:
    article = _manageable_article(request, slug)
    form = ArticlePublishForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "news/manage/article_form.html",
            {"form": ArticleForm(instance=article, user=request.user), "article": article, "publish_form": form},
            status=400,
        )
    services.article_publish(article=article, acting_user=request.user, publish_at=form.cleaned_data["publish_at"])
    if article.is_visible:
        messages.success(request, _("“%(title)s” is published.") % {"title": article.title})
    else:
        messages.success(
            request,
            _("“%(title)s” will be published on %(when)s.")
            % {"title": article.title, "when": timezone.localtime(article.publish_at).strftime("%d.%m.%Y %H:%M")},
        )
    return redirect("news:article-manage")


@role_required("editor")
@require_POST
def article_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    article = _manageable_article(request, slug)
    services.article_unpublish(article=article, acting_user=request.user)
    messages.success(request, _("“%(title)s” is a draft again and no longer public.") % {"title": article.title})
    return redirect("news:article-manage")


@role_required("editor")
@require_http_methods(["GET", "POST"])
def article_delete(request: HttpRequest, slug: str) -> HttpResponse:
    article = _manageable_article(request, slug)
    if request.method == "POST":
        title = article.title
        services.article_delete(article=article, acting_user=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("news:article-manage")
    return render(request, "news/manage/article_delete.html", {"article": article})


def organisation_news_section(request: HttpRequest, organisation: Any) -> str:
    """The organisation page's "Latest news" (town.capabilities.OrganisationSection)."""
    # Only called while news is on in the town (the capability comes from an enabled module).
    return render_to_string("news/_organisation_news.html", {
        "news": articles_for_organisation(organisation.pk, 5), "news_enabled": True,
    }, request=request)
