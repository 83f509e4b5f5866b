"""Town-level pages that are not modules: PWA manifest, icons, service worker, back office."""

from __future__ import annotations

import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw, ImageFont

from core.access import role_required
from core.colours import readable_text_on
from town.selectors import town_profile_get

ICON_SIZES = (192, 512)


@require_GET
@cache_control(max_age=300)
def manifest(request: HttpRequest) -> HttpResponse:
    profile = town_profile_get()
    data = {
        "name": profile.name,
        "short_name": profile.name[:12],
        "description": profile.tagline or _("The digital village of %(name)s") % {"name": profile.name},
        "lang": "de",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": profile.primary_colour,
        "icons": [
            {"src": f"/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
            for size in ICON_SIZES
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


def _icon_png(size: int) -> bytes:
    profile = town_profile_get()
    canvas = Image.new("RGB", (size, size), profile.primary_colour)
    if profile.logo:
        with profile.logo.open("rb") as fh:
            logo = Image.open(fh).convert("RGBA")
            logo.thumbnail((int(size * 0.7), int(size * 0.7)))
            canvas.paste(logo, ((size - logo.width) // 2, (size - logo.height) // 2), logo)
    else:
        # No logo yet: the town's initial on its primary colour.
        draw = ImageDraw.Draw(canvas)
        letter = (profile.name or "D")[0].upper()
        font = ImageFont.load_default(size=int(size * 0.55))
        box = draw.textbbox((0, 0), letter, font=font)
        position = ((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1])
        draw.text(position, letter, fill=readable_text_on(profile.primary_colour), font=font)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


@require_GET
@cache_control(max_age=300)
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    return HttpResponse(_icon_png(size), content_type="image/png")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "town/sw.js", {"offline_css": static("core/site.css")}, content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@role_required("editor")
def backoffice(request: HttpRequest) -> HttpResponse:
    return render(request, "town/backoffice/index.html")
