"""Error pages in the user's language, branded where a town is known; never a stack trace."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.access import RefusedWithReason


def _render(request: HttpRequest, status: int, template: str, context: dict[str, Any] | None = None) -> HttpResponse:
    try:
        body = render_to_string(template, context, request=request)
    except Exception:
        # The branded page itself failed (say, the database is down): plain text still tells the truth.
        body = render_to_string("core/error_plain.html", {"status": status})
    return HttpResponse(body, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404, "core/404.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context: dict[str, Any] = {}
    if isinstance(exception, RefusedWithReason):
        context = {"reason": exception.reason, "link_url": exception.link_url, "link_text": exception.link_text}
    return _render(request, 403, "core/403.html", context)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500, "core/500.html")
