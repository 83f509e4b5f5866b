"""Pages of the events module."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def event_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")


def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("")
