"""Town-wide pages that belong to no module: start page, legal pages, media files."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

from core.capabilities import fragments
from core.forms import SiteSearchForm
from core.modules import HomePrompt, HomeWidget
from core.search import clean_query, highlight, site_search
from core.tenancy import connection


def unknown_town(request: HttpRequest) -> HttpResponse:
    """No town lives on this host: a plain 404 that names nothing (ISOLATION T11)."""
    return HttpResponseNotFound(render_to_string("core/unknown_town.html", request=None))


def home_widgets(request: HttpRequest) -> list[str]:
    return list(fragments(HomeWidget, request))


def home_prompts(request: HttpRequest) -> list[str]:
    return list(fragments(HomePrompt, request)) if request.user.is_authenticated else []


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The feed is a personal part of the template (core/_home_own_feed.html): residents share the rest.
    return render(request, "core/home.html", {"widgets": home_widgets(request), "prompts": home_prompts(request)})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The site-wide search: every enabled module's results that this visitor may see."""
    form = SiteSearchForm(request.GET or None)
    query = clean_query(form.cleaned_data["q"]) if form.is_valid() else ""
    sections = [
        {
            "label": section.label,
            "more_url": section.more_url,
            "results": [
                {"result": result, "title": highlight(result.title, query), "snippet": highlight(result.snippet, query)}
                for result in section.results
            ],
        }
        for section in site_search(request, query)
    ]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "core/search.html", {"form": form, "query": query, "sections": sections}, status=status)


@require_GET
def impressum(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", {"kind": "impressum"})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", {"kind": "privacy"})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", {"kind": "accessibility"})


@require_GET
def media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an upload from the current town's own folder, never another's (ISOLATION T7)."""
    root = Path(settings.MEDIA_ROOT) / connection.schema_name
    # The tenant storage builds URLs as /media/<schema>/<name>. A path naming
    # another schema stays inside this town's folder and simply isn't found.
    prefix = f"{connection.schema_name}/"
    if path.startswith(prefix):
        path = path[len(prefix):]
    try:
        full = Path(safe_join(str(root), path))
    except Exception:
        raise Http404 from None
    if not full.is_file():
        raise Http404
    content_type, _ = mimetypes.guess_type(str(full))
    response = FileResponse(full.open("rb"), content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
