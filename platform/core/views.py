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

from core.capabilities import call, provided
from core.feed import home_feed
from core.modules import HomeWidget
from core.tenancy import connection


def unknown_town(request: HttpRequest) -> HttpResponse:
    """No town lives on this host: a plain 404 that names nothing (ISOLATION T11)."""
    return HttpResponseNotFound(render_to_string("core/unknown_town.html", request=None))


def home_widgets(request: HttpRequest) -> list[str]:
    widgets = provided(HomeWidget)
    rendered = (call(w.render, request) for w in sorted(widgets, key=lambda w: w.order))
    return [html for html in rendered if html]


def _needs_ortsgemeinde(request: HttpRequest) -> bool:
    """A signed-in resident of a town with villages who has not chosen theirs yet."""
    from town.models import Ortsgemeinde
    from town.selectors import user_ortsgemeinde_id

    user = request.user
    if not user.is_authenticated or user_ortsgemeinde_id(user) is not None:
        return False
    return Ortsgemeinde.objects.exists()


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {
        "widgets": home_widgets(request),
        "feed": home_feed(request),
        "needs_ortsgemeinde": _needs_ortsgemeinde(request),
    })


@require_GET
def impressum(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", {"kind": "impressum"})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", {"kind": "privacy"})


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
